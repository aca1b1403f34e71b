-- Once per refresh, after Gold: the counters lh_status shows (Gold's rows are its hourly groups;
-- a rebuild resets the count before it starts).
UPDATE lh_layer_state
SET row_count = row_count + (SELECT count(*) FROM temp.lh_delta_hours WHERE new_group),
    newest_event_time = (SELECT newest_event_time FROM lh_layer_state WHERE layer = 'silver'),
    last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE layer = 'gold';

UPDATE lh_layer_state SET last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE layer = 'bronze';

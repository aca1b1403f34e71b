-- Once per refresh, after Gold: the counters lh_status shows.
UPDATE lh_layer_state
SET row_count = (SELECT count(*) FROM gold_hourly_stats),
    newest_event_time = (SELECT newest_event_time FROM lh_layer_state WHERE layer = 'silver'),
    last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE layer = 'gold';

UPDATE lh_layer_state SET last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE layer = 'bronze';

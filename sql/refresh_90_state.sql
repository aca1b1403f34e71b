-- Bookkeeping after a refresh: move the watermark, update the counters lh_status shows.
UPDATE lh_state SET value = (SELECT hi FROM temp.lh_window) WHERE key = 'silver_watermark';

UPDATE lh_layer_state
SET row_count = row_count + (SELECT count(*) FROM temp.silver_batch WHERE accepted),
    newest_event_time = (SELECT nullif(max(coalesce(newest_event_time, ''), coalesce(max(event_time), '')), '')
                         FROM temp.silver_batch WHERE accepted),
    last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE layer = 'silver';

UPDATE lh_layer_state
SET row_count = (SELECT count(*) FROM gold_hourly_stats),
    newest_event_time = (SELECT newest_event_time FROM lh_layer_state WHERE layer = 'silver'),
    last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE layer = 'gold';

UPDATE lh_layer_state SET last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE layer = 'bronze';

-- After each Silver step: move the watermark and Silver's counters, in the same transaction.
-- (max: a held batch promoted later lies below the watermark.)
UPDATE lh_state SET value = max(value, (SELECT hi FROM temp.lh_window)) WHERE key = 'silver_watermark';

UPDATE lh_layer_state
SET row_count = row_count + (SELECT count(*) FROM temp.lh_step_rows),
    newest_event_time = (SELECT nullif(max(coalesce(newest_event_time, ''), coalesce(max(event_time), '')), '')
                         FROM temp.lh_step_rows),
    last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE layer = 'silver';

-- After each Silver step: move the watermark and Silver's counters, in the same transaction.
-- (max: a held batch promoted later lies below the watermark.)
UPDATE lh_state SET value = max(value, (SELECT hi FROM temp.lh_window)) WHERE key = 'silver_watermark';

UPDATE lh_layer_state
SET (row_count, newest_event_time) = (  -- one pass over the step's rows for both
      SELECT lh_layer_state.row_count + count(*),
             nullif(max(coalesce(lh_layer_state.newest_event_time, ''), coalesce(max(event_time), '')), '')
      FROM temp.lh_step_rows),
    last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE layer = 'silver';

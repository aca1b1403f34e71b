-- After each Silver step: move the watermark, in the same transaction. (max: a held batch
-- promoted later lies below the watermark.) Silver's counters move once per batch, from the
-- batch statistics (sql/refresh_20_silver_counters.sql).
UPDATE lh_state SET value = max(value, (SELECT hi FROM temp.lh_window)) WHERE key = 'silver_watermark';

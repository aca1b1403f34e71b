-- The Gold groups this refresh touches: only these are recomputed. Late events touch their old
-- windows, so nothing is dropped for being late. (A full recomputation fills the same tables
-- with every group in Silver; see CheckGoldAgainstRecompute.)
DROP TABLE IF EXISTS temp.lh_touched_hours;
CREATE TEMP TABLE lh_touched_hours AS
  SELECT DISTINCT substr(event_time, 1, 10) AS event_date, CAST(substr(event_time, 12, 2) AS INTEGER) AS event_hour, domain
  FROM temp.silver_batch WHERE accepted;

DROP TABLE IF EXISTS temp.lh_touched_day_hours;
CREATE TEMP TABLE lh_touched_day_hours AS
  SELECT DISTINCT event_date, event_hour FROM temp.lh_touched_hours;

DROP TABLE IF EXISTS temp.lh_touched_days;
CREATE TEMP TABLE lh_touched_days AS
  SELECT DISTINCT event_date FROM temp.lh_touched_hours;

DROP TABLE IF EXISTS temp.lh_touched_windows;
CREATE TEMP TABLE lh_touched_windows AS
  SELECT DISTINCT substr(event_time, 1, 14) || printf('%02d', CAST(substr(event_time, 15, 2) AS INTEGER) / 5 * 5)
                  || ':00.000' AS window_start
  FROM temp.silver_batch WHERE accepted AND type IN ('edit', 'new');

DROP TABLE IF EXISTS temp.lh_touched_users;
CREATE TEMP TABLE lh_touched_users AS
  SELECT DISTINCT substr(event_time, 1, 10) AS event_date, user_name
  FROM temp.silver_batch WHERE accepted AND user_name IS NOT NULL;

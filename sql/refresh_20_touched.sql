-- After each Silver step: add the Gold groups the step's new Silver rows touch. Late events touch
-- their old windows, so nothing is dropped for being late.
INSERT OR IGNORE INTO temp.lh_touched_hours
  SELECT DISTINCT substr(event_time, 1, 10), CAST(substr(event_time, 12, 2) AS INTEGER), domain
  FROM temp.lh_step_rows;

INSERT OR IGNORE INTO temp.lh_touched_day_hours
  SELECT DISTINCT substr(event_time, 1, 10), CAST(substr(event_time, 12, 2) AS INTEGER)
  FROM temp.lh_step_rows;

INSERT OR IGNORE INTO temp.lh_touched_days
  SELECT DISTINCT substr(event_time, 1, 10) FROM temp.lh_step_rows;

INSERT OR IGNORE INTO temp.lh_touched_windows
  SELECT DISTINCT substr(event_time, 1, 14) || printf('%02d', CAST(substr(event_time, 15, 2) AS INTEGER) / 5 * 5) || ':00.000'
  FROM temp.lh_step_rows WHERE type IN ('edit', 'new');

INSERT OR IGNORE INTO temp.lh_touched_users
  SELECT DISTINCT substr(event_time, 1, 10), user_name
  FROM temp.lh_step_rows WHERE user_name IS NOT NULL;

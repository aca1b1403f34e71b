-- After each Silver step: add the Gold groups the step's new Silver rows touch. Late events touch
-- their old windows, so nothing is dropped for being late. Hours and users are read from the
-- step's rows; days and (day, hour) pairs follow from the touched hours.
INSERT OR IGNORE INTO temp.lh_touched_hours
  SELECT DISTINCT event_date, event_hour, domain FROM temp.lh_step_rows;

INSERT OR IGNORE INTO temp.lh_touched_day_hours
  SELECT DISTINCT event_date, event_hour FROM temp.lh_touched_hours;

INSERT OR IGNORE INTO temp.lh_touched_days
  SELECT DISTINCT event_date FROM temp.lh_touched_hours;

INSERT OR IGNORE INTO temp.lh_touched_windows
  SELECT DISTINCT substr(event_time, 1, 14) || printf('%02d', CAST(substr(event_time, 15, 2) AS INTEGER) / 5 * 5) || ':00.000'
  FROM temp.lh_step_rows WHERE type IN ('edit', 'new');

INSERT OR IGNORE INTO temp.lh_touched_users
  SELECT DISTINCT event_date, user_name FROM temp.lh_step_rows WHERE user_name IS NOT NULL;

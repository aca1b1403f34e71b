-- Once per refresh, before the Silver steps: empty sets of the Gold groups this refresh touches.
-- Each Silver step adds to them (refresh_20_touched.sql); Gold then recomputes every touched
-- group once (refresh_3*). A full recomputation fills them with every group in Silver.
CREATE TEMP TABLE IF NOT EXISTS lh_touched_hours (event_date, event_hour, domain, PRIMARY KEY (event_date, event_hour, domain));
CREATE TEMP TABLE IF NOT EXISTS lh_touched_day_hours (event_date, event_hour, PRIMARY KEY (event_date, event_hour));
CREATE TEMP TABLE IF NOT EXISTS lh_touched_days (event_date PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS lh_touched_windows (window_start PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS lh_touched_users (event_date, user_name, PRIMARY KEY (event_date, user_name));
DELETE FROM temp.lh_touched_hours;
DELETE FROM temp.lh_touched_day_hours;
DELETE FROM temp.lh_touched_days;
DELETE FROM temp.lh_touched_windows;
DELETE FROM temp.lh_touched_users;

-- The definition of gold_user_risk: per (event_date, user_name), over that day's events of users
-- with a name, scored by temp.lh_user_risk_scored (sql/refresh_00_begin.sql) from per-hour counts.
DELETE FROM temp.lh_user_hours;
INSERT INTO temp.lh_user_hours
SELECT event_date, user_name, event_hour, domain,
       count(*), sum(type IN ('edit', 'new')), sum(is_large_deletion), sum(is_anonymous), max(is_bot)
FROM silver_events
WHERE user_name IS NOT NULL
GROUP BY event_date, user_name, event_hour, domain;

INSERT INTO gold_user_risk SELECT * FROM temp.lh_user_risk_scored;

-- The delta refresh's per-user state.
INSERT INTO lh_gold_user_hours SELECT * FROM temp.lh_user_hours;
INSERT INTO lh_gold_editor_windows
SELECT DISTINCT event_date, user_name, window5 FROM temp.lh_silver
WHERE user_name IS NOT NULL AND type IN ('edit', 'new');

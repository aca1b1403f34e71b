-- The definition of gold_user_risk: per (event_date, user_name), over that day's events of users
-- with a name, scored by temp.lh_user_risk_scored (sql/refresh_00_begin.sql) from per-day counts.
-- It also fills the delta refresh's per-user state: lh_gold_hour_users, lh_gold_user_days and
-- lh_gold_window_editors.
INSERT INTO lh_gold_hour_users
SELECT event_date, event_hour, user_name, domain,
       count(*), sum(type IN ('edit', 'new')), sum(is_large_deletion), sum(is_anonymous), max(is_bot)
FROM temp.lh_silver
WHERE user_name IS NOT NULL
GROUP BY event_date, event_hour, user_name, domain;

DELETE FROM temp.lh_user_days;
INSERT INTO temp.lh_user_days
SELECT event_date, user_name, events, edits, large_deletions, anonymous_events, distinct_domains,
       max_edits_per_hour, is_bot
FROM (SELECT event_date, user_name, sum(events) AS events, sum(edits) AS edits,
             sum(large_deletions) AS large_deletions, sum(anonymous_events) AS anonymous_events,
             count(DISTINCT domain) AS distinct_domains, max(is_bot) AS is_bot
      FROM lh_gold_hour_users GROUP BY event_date, user_name)
JOIN (SELECT event_date, user_name, max(edits) AS max_edits_per_hour
      FROM (SELECT event_date, user_name, sum(edits) AS edits FROM lh_gold_hour_users
            GROUP BY event_date, user_name, event_hour)
      GROUP BY event_date, user_name) USING (event_date, user_name);

INSERT INTO lh_gold_user_days SELECT * FROM temp.lh_user_days;
INSERT INTO gold_user_risk SELECT * FROM temp.lh_user_risk_scored;

INSERT INTO lh_gold_window_editors
SELECT DISTINCT event_date, window5, user_name FROM temp.lh_silver
WHERE user_name IS NOT NULL AND type IN ('edit', 'new');

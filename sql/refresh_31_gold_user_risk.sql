-- gold_user_risk by deltas: the new rows' counts join lh_gold_hour_users (and their edit windows
-- lh_gold_window_editors) and each touched (day, user)'s row of lh_gold_user_days, which is then
-- scored again by the rules of temp.lh_user_risk_scored: one row per user, however much of the
-- day has passed.
INSERT INTO lh_gold_window_editors (event_date, window5, user_name)
SELECT event_date, window5, user_name FROM temp.lh_delta_editors WHERE new_editor_in_window;

-- Per touched (day, user): the new rows' counts, whether the user is new to the day, and how
-- many of their wikis are new to the user's day — probed before lh_gold_hour_users takes the new
-- rows, once per (day, user, wiki), with 24 seeks (one per hour) rather than reading the user's day.
DROP TABLE IF EXISTS temp.lh_delta_user_days;
CREATE TEMP TABLE lh_delta_user_days AS
SELECT event_date, user_name, sum(events) AS events, sum(edits) AS edits,
       sum(large_deletions) AS large_deletions, sum(anonymous_events) AS anonymous_events,
       sum(new_wiki) AS new_wikis, max(is_bot) AS is_bot, max(new_in_day) AS new_in_day
FROM (SELECT w.*,
             CASE WHEN new_in_day THEN 1 ELSE NOT EXISTS (
               SELECT 1 FROM lh_gold_hour_users AS g
               WHERE g.event_date = w.event_date
                 AND g.event_hour IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                      21, 22, 23)
                 AND g.user_name = w.user_name AND g.domain = w.domain) END AS new_wiki
      FROM (SELECT event_date, user_name, domain, sum(events) AS events, sum(edits) AS edits,
                   sum(large_deletions) AS large_deletions, sum(anonymous_events) AS anonymous_events,
                   max(is_bot) AS is_bot, max(new_in_day) AS new_in_day
            FROM temp.lh_delta_users GROUP BY event_date, user_name, domain) AS w)
GROUP BY event_date, user_name;

INSERT INTO lh_gold_hour_users
  (event_date, event_hour, user_name, domain, events, edits, large_deletions, anonymous_events, is_bot)
SELECT event_date, event_hour, user_name, domain, events, edits, large_deletions, anonymous_events, is_bot
FROM temp.lh_delta_users WHERE true
ON CONFLICT (event_date, event_hour, user_name, domain) DO UPDATE SET
  events = events + excluded.events,
  edits = edits + excluded.edits,
  large_deletions = large_deletions + excluded.large_deletions,
  anonymous_events = anonymous_events + excluded.anonymous_events,
  is_bot = max(is_bot, excluded.is_bot);

-- Each touched (day, user)'s day: its counts plus the new rows', its wikis plus the new ones,
-- max_edits_per_hour from the touched hours' new totals (an hour's total only grows).
DELETE FROM temp.lh_user_days;  -- (emptied per batch: one refresh may publish several)
INSERT INTO temp.lh_user_days
SELECT d.event_date, d.user_name,
       coalesce(o.events, 0) + d.events, coalesce(o.edits, 0) + d.edits,
       coalesce(o.large_deletions, 0) + d.large_deletions, coalesce(o.anonymous_events, 0) + d.anonymous_events,
       coalesce(o.distinct_domains, 0) + d.new_wikis, max(coalesce(o.max_edits_per_hour, 0), h.max_edits),
       max(coalesce(o.is_bot, 0), d.is_bot)
FROM temp.lh_delta_user_days AS d
JOIN (SELECT event_date, user_name, max(edits) AS max_edits
      FROM (SELECT t.event_date, t.user_name, t.event_hour, sum(g.edits) AS edits
            FROM (SELECT DISTINCT event_date, user_name, event_hour FROM temp.lh_delta_users) AS t
            CROSS JOIN lh_gold_hour_users AS g  -- touched hours stay the outer loop
            WHERE g.event_date = t.event_date AND g.event_hour = t.event_hour AND g.user_name = t.user_name
            GROUP BY t.event_date, t.user_name, t.event_hour)
      GROUP BY event_date, user_name) AS h USING (event_date, user_name)
LEFT JOIN lh_gold_user_days AS o USING (event_date, user_name);

INSERT OR REPLACE INTO lh_gold_user_days SELECT * FROM temp.lh_user_days;
INSERT OR REPLACE INTO gold_user_risk SELECT * FROM temp.lh_user_risk_scored;

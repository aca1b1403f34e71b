-- gold_user_risk by deltas: the new rows' counts join lh_gold_user_hours (and their edit windows
-- lh_gold_editor_windows), then each touched (day, user) is scored again from its hours (at most
-- 24 rows per wiki, however much of the day has passed), by the rules of temp.lh_user_risk_scored.
INSERT OR IGNORE INTO lh_gold_editor_windows (event_date, user_name, window5)
SELECT DISTINCT event_date, user_name, window5 FROM temp.lh_delta_users WHERE edits > 0;

INSERT INTO lh_gold_user_hours
  (event_date, user_name, event_hour, domain, events, edits, large_deletions, anonymous_events, is_bot)
SELECT event_date, user_name, window5 / 12, domain,
       sum(events), sum(edits), sum(large_deletions), sum(anonymous_events), max(is_bot)
FROM temp.lh_delta_users
GROUP BY event_date, user_name, window5 / 12, domain
ON CONFLICT (event_date, user_name, event_hour, domain) DO UPDATE SET
  events = events + excluded.events,
  edits = edits + excluded.edits,
  large_deletions = large_deletions + excluded.large_deletions,
  anonymous_events = anonymous_events + excluded.anonymous_events,
  is_bot = max(is_bot, excluded.is_bot);

-- (emptied per batch: one refresh may publish several, e.g. held batches released)
DELETE FROM temp.lh_user_hours;
INSERT INTO temp.lh_user_hours
SELECT g.event_date, g.user_name, g.event_hour, g.domain,
       g.events, g.edits, g.large_deletions, g.anonymous_events, g.is_bot
FROM (SELECT DISTINCT event_date, user_name FROM temp.lh_delta_users) AS t
CROSS JOIN lh_gold_user_hours AS g  -- touched users stay the outer loop
WHERE g.event_date = t.event_date AND g.user_name = t.user_name;

INSERT OR REPLACE INTO gold_user_risk SELECT * FROM temp.lh_user_risk_scored;

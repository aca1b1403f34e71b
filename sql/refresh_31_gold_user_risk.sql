-- gold_user_risk by deltas: the new rows' counts join lh_gold_user_windows, then each touched
-- (day, user) is scored again from its windows there (a few rows per user and day, however much
-- of the day has passed), by the rules of temp.lh_user_risk_scored.
INSERT INTO lh_gold_user_windows
  (event_date, user_name, window5, domain, events, edits, large_deletions, anonymous_events, is_bot)
SELECT event_date, user_name, window5, domain, events, edits, large_deletions, anonymous_events, is_bot
FROM temp.lh_delta_users WHERE true
ON CONFLICT (event_date, user_name, window5, domain) DO UPDATE SET
  events = events + excluded.events,
  edits = edits + excluded.edits,
  large_deletions = large_deletions + excluded.large_deletions,
  anonymous_events = anonymous_events + excluded.anonymous_events,
  is_bot = max(is_bot, excluded.is_bot);

-- (emptied per batch: one refresh may publish several, e.g. held batches released)
DELETE FROM temp.lh_user_hours;
INSERT INTO temp.lh_user_hours
SELECT g.event_date, g.user_name, g.window5 / 12, g.domain,
       sum(g.events), sum(g.edits), sum(g.large_deletions), sum(g.anonymous_events), max(g.is_bot)
FROM (SELECT DISTINCT event_date, user_name FROM temp.lh_delta_users) AS t
CROSS JOIN lh_gold_user_windows AS g  -- touched users stay the outer loop
WHERE g.event_date = t.event_date AND g.user_name = t.user_name
GROUP BY g.event_date, g.user_name, g.window5 / 12, g.domain;

INSERT OR REPLACE INTO gold_user_risk SELECT * FROM temp.lh_user_risk_scored;

-- gold_daily_summary by deltas. Runs after gold_user_risk and gold_hourly_stats: it counts risky
-- users and picks the top wiki from them. Counts and sums add (the new rows' add up from their
-- hours, temp.lh_delta_hours); unique users, pages and wikis grow by the ones new to the day; the
-- percentages follow from lh_gold_days.
INSERT INTO lh_gold_days
SELECT event_date, sum(bot_events), sum(anonymous_events) FROM temp.lh_delta_hours GROUP BY event_date
ON CONFLICT (event_date) DO UPDATE SET
  bot_events = bot_events + excluded.bot_events,
  anonymous_events = anonymous_events + excluded.anonymous_events;

INSERT INTO gold_daily_summary (event_date, total_events, total_edits, unique_users, unique_pages, active_wikis,
                                net_bytes, large_deletions, dq_checks_passed, dq_checks_failed)
SELECT d.event_date, total_events, total_edits, coalesce(u.n, 0), coalesce(p.n, 0), coalesce(w.n, 0),
       net_bytes, large_deletions,
       -- a day's data-quality checks: counted in lh_dq_days and added to the day's row as they
       -- are recorded (engine/dq.cc); a new row starts from the count so far
       coalesce((SELECT passed FROM lh_dq_days AS q WHERE q.day = d.event_date), 0),
       coalesce((SELECT failed FROM lh_dq_days AS q WHERE q.day = d.event_date), 0)
FROM (SELECT event_date, sum(total_events) AS total_events, sum(edits) AS total_edits,
             sum(net_bytes) AS net_bytes, sum(large_deletions) AS large_deletions
      FROM temp.lh_delta_hours GROUP BY event_date) AS d
LEFT JOIN (SELECT event_date, count(*) AS n FROM temp.lh_delta_user_days WHERE new_in_day
           GROUP BY event_date) AS u USING (event_date)
LEFT JOIN (SELECT event_date, count(DISTINCT domain || '|' || title) AS n FROM temp.lh_delta_pages WHERE new_in_day
           GROUP BY event_date) AS p USING (event_date)
LEFT JOIN (SELECT event_date, count(DISTINCT domain) AS n FROM temp.lh_delta_hours WHERE new_wiki_in_day
           GROUP BY event_date) AS w USING (event_date)
WHERE true
ON CONFLICT (event_date) DO UPDATE SET
  total_events = total_events + excluded.total_events,
  total_edits = total_edits + excluded.total_edits,
  unique_users = unique_users + excluded.unique_users,
  unique_pages = unique_pages + excluded.unique_pages,
  active_wikis = active_wikis + excluded.active_wikis,
  net_bytes = net_bytes + excluded.net_bytes,
  large_deletions = large_deletions + excluded.large_deletions;

-- The rest, per touched day. The top wiki's count only grows, so the new top wiki is the old one
-- or one the new rows touched (ties by name, as in the definition).
UPDATE gold_daily_summary AS s
SET bot_percentage = round(100.0 * (SELECT bot_events FROM lh_gold_days AS c WHERE c.event_date = s.event_date)
                           / total_events, 2),
    anonymous_percentage = round(100.0 * (SELECT anonymous_events FROM lh_gold_days AS c
                                          WHERE c.event_date = s.event_date) / total_events, 2),
    high_risk_users = (SELECT count(*) FROM gold_user_risk AS u WHERE u.risk_level = 'HIGH' AND u.event_date = s.event_date),
    medium_risk_users = (SELECT count(*) FROM gold_user_risk AS u WHERE u.risk_level = 'MEDIUM' AND u.event_date = s.event_date),
    top_domain = (
      SELECT g.domain FROM gold_hourly_stats AS g
      WHERE g.event_date = s.event_date
        AND g.event_hour IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23)
        AND g.domain IN (SELECT s.top_domain
                         UNION SELECT h.domain FROM temp.lh_delta_hours AS h WHERE h.event_date = s.event_date)
      GROUP BY g.domain ORDER BY sum(g.total_events) DESC, g.domain LIMIT 1)
WHERE event_date IN (SELECT event_date FROM temp.lh_delta_hours);

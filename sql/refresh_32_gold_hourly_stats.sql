-- gold_hourly_stats by deltas: counts and sums add (the new rows' are in temp.lh_delta_hours);
-- unique users and pages grow by the ones new to the hour (sql/refresh_30_gold_delta.sql); the
-- bot share follows from the new totals.
INSERT INTO gold_hourly_stats
SELECT d.event_date, d.event_hour, d.domain, total_events, edits, new_pages, log_events, categorize_events,
       coalesce(u.n, 0), coalesce(p.n, 0), bot_events, round(100.0 * bot_events / total_events, 2),
       anonymous_events, bytes_added, bytes_removed, net_bytes, large_additions, large_deletions
FROM temp.lh_delta_hours AS d
LEFT JOIN (SELECT event_date, event_hour, domain, count(*) AS n  -- (a user has one row per hour and wiki there)
           FROM temp.lh_delta_users WHERE new_in_hour
           GROUP BY event_date, event_hour, domain) AS u USING (event_date, event_hour, domain)
LEFT JOIN (SELECT event_date, event_hour, domain, count(DISTINCT title) AS n  -- (in the pages' key order)
           FROM temp.lh_delta_pages WHERE new_in_hour
           GROUP BY event_date, event_hour, domain_id) AS p USING (event_date, event_hour, domain)
WHERE true
ON CONFLICT (event_date, event_hour, domain) DO UPDATE SET
  total_events = total_events + excluded.total_events,
  edits = edits + excluded.edits,
  new_pages = new_pages + excluded.new_pages,
  log_events = log_events + excluded.log_events,
  categorize_events = categorize_events + excluded.categorize_events,
  unique_users = unique_users + excluded.unique_users,
  unique_pages = unique_pages + excluded.unique_pages,
  bot_events = bot_events + excluded.bot_events,
  bot_percentage = round(100.0 * (bot_events + excluded.bot_events) / (total_events + excluded.total_events), 2),
  anonymous_events = anonymous_events + excluded.anonymous_events,
  bytes_added = bytes_added + excluded.bytes_added,
  bytes_removed = bytes_removed + excluded.bytes_removed,
  net_bytes = net_bytes + excluded.net_bytes,
  large_additions = large_additions + excluded.large_additions,
  large_deletions = large_deletions + excluded.large_deletions;

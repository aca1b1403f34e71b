-- gold_hourly_stats: per (event_date, event_hour, domain). "Edits" are types edit and new.
DELETE FROM gold_hourly_stats
WHERE (event_date, event_hour, domain) IN (SELECT event_date, event_hour, domain FROM temp.lh_touched_hours);

INSERT INTO gold_hourly_stats
SELECT s.event_date, s.event_hour, s.domain,
       count(*)                                       AS total_events,
       sum(s.type IN ('edit', 'new'))                 AS edits,
       sum(s.type = 'new')                            AS new_pages,
       sum(s.type = 'log')                            AS log_events,
       sum(s.type = 'categorize')                     AS categorize_events,
       count(DISTINCT s.user_name)                    AS unique_users,
       count(DISTINCT s.title)                        AS unique_pages,
       sum(s.is_bot)                                  AS bot_events,
       round(100.0 * sum(s.is_bot) / count(*), 2)     AS bot_percentage,
       sum(s.is_anonymous)                            AS anonymous_events,
       coalesce(sum(CASE WHEN s.length_delta > 0 THEN s.length_delta END), 0)  AS bytes_added,
       coalesce(sum(CASE WHEN s.length_delta < 0 THEN -s.length_delta END), 0) AS bytes_removed,
       coalesce(sum(s.length_delta), 0)               AS net_bytes,
       sum(s.is_large_addition)                       AS large_additions,
       sum(s.is_large_deletion)                       AS large_deletions
FROM temp.lh_touched_hours AS t
CROSS JOIN silver_events AS s INDEXED BY silver_by_hour_domain  -- touched groups stay the outer loop
WHERE s.event_date = t.event_date AND s.event_hour = t.event_hour AND s.domain = t.domain
GROUP BY s.event_date, s.event_hour, s.domain;

-- The definition of gold_hourly_stats: per (event_date, event_hour, domain) of the whole of
-- Silver. "Edits" are types edit and new. The refresh maintains the same rows by deltas
-- (sql/refresh_32_gold_hourly_stats.sql); lh_check_gold() compares the two.
INSERT INTO gold_hourly_stats
SELECT event_date, event_hour, domain,
       count(*)                                     AS total_events,
       sum(type IN ('edit', 'new'))                 AS edits,
       sum(type = 'new')                            AS new_pages,
       sum(type = 'log')                            AS log_events,
       sum(type = 'categorize')                     AS categorize_events,
       count(DISTINCT user_name)                    AS unique_users,
       count(DISTINCT title)                        AS unique_pages,
       sum(is_bot)                                  AS bot_events,
       round(100.0 * sum(is_bot) / count(*), 2)     AS bot_percentage,
       sum(is_anonymous)                            AS anonymous_events,
       coalesce(sum(CASE WHEN length_delta > 0 THEN length_delta END), 0)  AS bytes_added,
       coalesce(sum(CASE WHEN length_delta < 0 THEN -length_delta END), 0) AS bytes_removed,
       coalesce(sum(length_delta), 0)               AS net_bytes,
       sum(is_large_addition)                       AS large_additions,
       sum(is_large_deletion)                       AS large_deletions
FROM temp.lh_silver
GROUP BY event_date, event_hour, domain;

-- The definition of gold_daily_summary: per event_date. Runs after gold_user_risk and
-- gold_hourly_stats (it counts risky users and picks the top wiki from them).
INSERT INTO gold_daily_summary
SELECT d.event_date,
       count(*)                                              AS total_events,
       sum(type IN ('edit', 'new'))                          AS total_edits,
       count(DISTINCT user_name)                             AS unique_users,
       count(DISTINCT domain || '|' || title)                AS unique_pages,
       count(DISTINCT domain)                                AS active_wikis,
       round(100.0 * sum(is_bot) / count(*), 2)              AS bot_percentage,
       round(100.0 * sum(is_anonymous) / count(*), 2)        AS anonymous_percentage,
       coalesce(sum(length_delta), 0)                        AS net_bytes,
       sum(is_large_deletion)                                AS large_deletions,
       (SELECT count(*) FROM gold_user_risk AS u WHERE u.event_date = d.event_date AND u.risk_level = 'HIGH'),
       (SELECT count(*) FROM gold_user_risk AS u WHERE u.event_date = d.event_date AND u.risk_level = 'MEDIUM'),
       (SELECT domain FROM gold_hourly_stats AS h WHERE h.event_date = d.event_date
        GROUP BY domain ORDER BY sum(total_events) DESC, domain LIMIT 1) AS top_domain,
       coalesce((SELECT passed FROM lh_dq_days AS q WHERE q.day = d.event_date), 0),
       coalesce((SELECT failed FROM lh_dq_days AS q WHERE q.day = d.event_date), 0)
FROM temp.lh_silver AS d
GROUP BY d.event_date;

INSERT INTO lh_gold_days
SELECT event_date, sum(is_bot), sum(is_anonymous) FROM silver_events_stored GROUP BY event_date;

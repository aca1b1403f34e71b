-- gold_daily_summary: per event_date. Runs after gold_user_risk (it counts risky users).
DELETE FROM gold_daily_summary WHERE event_date IN (SELECT event_date FROM temp.lh_touched_days);

INSERT INTO gold_daily_summary
SELECT d.event_date,
       count(*)                                              AS total_events,
       sum(s.type IN ('edit', 'new'))                        AS total_edits,
       count(DISTINCT s.user_name)                           AS unique_users,
       count(DISTINCT s.domain || '|' || s.title)            AS unique_pages,
       count(DISTINCT s.domain)                              AS active_wikis,
       round(100.0 * sum(s.is_bot) / count(*), 2)            AS bot_percentage,
       round(100.0 * sum(s.is_anonymous) / count(*), 2)      AS anonymous_percentage,
       coalesce(sum(s.length_delta), 0)                      AS net_bytes,
       sum(s.is_large_deletion)                              AS large_deletions,
       (SELECT count(*) FROM gold_user_risk AS u WHERE u.event_date = d.event_date AND u.risk_level = 'HIGH'),
       (SELECT count(*) FROM gold_user_risk AS u WHERE u.event_date = d.event_date AND u.risk_level = 'MEDIUM'),
       (SELECT domain FROM gold_hourly_stats AS h WHERE h.event_date = d.event_date
        GROUP BY domain ORDER BY sum(total_events) DESC, domain LIMIT 1) AS top_domain,
       (SELECT count(*) FROM dq_results AS q WHERE substr(q.checked_at, 1, 10) = d.event_date AND q.status IN ('PASS', 'WARN')),
       (SELECT count(*) FROM dq_results AS q WHERE substr(q.checked_at, 1, 10) = d.event_date AND q.status IN ('FAIL', 'ERROR'))
FROM temp.lh_touched_days AS d
CROSS JOIN silver_events AS s INDEXED BY silver_by_hour_domain  -- touched days stay the outer loop
WHERE s.event_date = d.event_date
GROUP BY d.event_date;

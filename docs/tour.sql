-- 1. Top pages of the latest hour
SELECT rank, domain, title, edits, unique_editors, net_bytes FROM gold_trending_pages
WHERE (event_date, event_hour) = (SELECT event_date, event_hour FROM gold_trending_pages ORDER BY 1 DESC, 2 DESC LIMIT 1)
ORDER BY rank LIMIT 5;
-- 2. Bot share per wiki (wikis with at least 20 events)
SELECT domain, sum(total_events) AS events, round(100.0 * sum(bot_events) / sum(total_events), 1) AS bot_pct
FROM gold_hourly_stats GROUP BY domain HAVING events >= 20 ORDER BY bot_pct DESC LIMIT 5;
-- 3. Risky users
SELECT event_date, user_name, risk_score, risk_level, rules_fired FROM gold_user_risk
WHERE risk_level IN ('HIGH', 'MEDIUM') ORDER BY risk_score DESC, events DESC LIMIT 5;
-- 4. Growth per region in the latest hour (Gold: each wiki's hour, its region from the reference table)
SELECT wiki_region(domain) AS region, sum(total_events) AS events, sum(net_bytes) AS net_bytes FROM gold_hourly_stats
WHERE (event_date, event_hour) = (SELECT event_date, event_hour FROM gold_hourly_stats ORDER BY 1 DESC, 2 DESC LIMIT 1)
GROUP BY region ORDER BY net_bytes DESC;
-- 5. Edit rate and trend per 5 minutes
SELECT window_start, total_edits, edits_per_minute, bot_edit_percentage, knowledge_trend FROM gold_kpi_5min
ORDER BY window_start DESC LIMIT 5;
-- 6. Each day's busiest wiki and risky users
SELECT event_date, total_events, top_domain, high_risk_users, medium_risk_users FROM gold_daily_summary ORDER BY event_date DESC LIMIT 5;
-- 7. Anonymous editing of one wiki per namespace, in the latest hour (Silver, one wiki-hour through its index)
SELECT namespace, count(*) AS events, round(100.0 * avg(is_anonymous), 1) AS anonymous_pct FROM silver_events
WHERE (event_date, event_hour) = (SELECT event_date, event_hour FROM gold_hourly_stats ORDER BY 1 DESC, 2 DESC LIMIT 1)
  AND domain = 'en.wikipedia.org'
GROUP BY namespace ORDER BY events DESC LIMIT 5;
-- 8. The largest removals of one hour (Silver, through its index of large deletions)
SELECT domain, title, user_name, length_delta FROM silver_events
WHERE event_date = '2024-08-22' AND event_hour = 4 AND is_large_deletion ORDER BY length_delta LIMIT 5;
-- 9. New pages per wiki and hour
SELECT event_date, event_hour, domain, new_pages FROM gold_hourly_stats WHERE new_pages > 0
ORDER BY new_pages DESC LIMIT 5;
-- 10. The original event behind a Silver row, straight from Bronze
SELECT s.title, lh_json_extract(b.payload, '$.parsedcomment') AS parsed_comment
FROM silver_events s JOIN bronze_events b USING (bronze_id)
WHERE s.is_large_deletion AND s.event_date = '2024-08-22' LIMIT 2;

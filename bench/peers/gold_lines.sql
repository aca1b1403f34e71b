-- Every Gold row as one line of text, the same in SQLite and DuckDB (reals printed with four
-- decimals, NULL as ~), so bench/compare_bench.sh can check that litehouse and its peers give the
-- same Gold numbers: it sorts the lines of each and compares them.
SELECT 'hourly|' || event_date || '|' || CAST(event_hour AS VARCHAR) || '|' || domain || '|' ||
       CAST(total_events AS VARCHAR) || '|' || CAST(edits AS VARCHAR) || '|' || CAST(new_pages AS VARCHAR) || '|' ||
       CAST(log_events AS VARCHAR) || '|' || CAST(categorize_events AS VARCHAR) || '|' ||
       CAST(unique_users AS VARCHAR) || '|' || CAST(unique_pages AS VARCHAR) || '|' || CAST(bot_events AS VARCHAR) || '|' ||
       printf('%.4f', bot_percentage) || '|' || CAST(anonymous_events AS VARCHAR) || '|' ||
       CAST(bytes_added AS VARCHAR) || '|' || CAST(bytes_removed AS VARCHAR) || '|' || CAST(net_bytes AS VARCHAR) || '|' ||
       CAST(large_additions AS VARCHAR) || '|' || CAST(large_deletions AS VARCHAR) AS line
FROM gold_hourly_stats
UNION ALL
SELECT 'kpi|' || window_start || '|' || window_end || '|' || CAST(total_edits AS VARCHAR) || '|' ||
       CAST(unique_editors AS VARCHAR) || '|' || CAST(active_pages AS VARCHAR) || '|' || CAST(bot_edits AS VARCHAR) || '|' ||
       CAST(human_edits AS VARCHAR) || '|' || CAST(net_bytes_added AS VARCHAR) || '|' ||
       coalesce(printf('%.4f', CASE WHEN avg_bytes_per_edit IS NOT NULL THEN avg_bytes_per_edit END), '~') || '|' ||
       CAST(large_edits_count AS VARCHAR) || '|' || CAST(revert_like_edits AS VARCHAR) || '|' ||
       CAST(volatility_score AS VARCHAR) || '|' || printf('%.4f', bot_edit_percentage) || '|' ||
       printf('%.4f', edits_per_minute) || '|' || knowledge_trend
FROM gold_kpi_5min
UNION ALL
SELECT 'risk|' || event_date || '|' || user_name || '|' || CAST(events AS VARCHAR) || '|' || CAST(edits AS VARCHAR) || '|' ||
       CAST(max_edits_per_hour AS VARCHAR) || '|' || CAST(large_deletions AS VARCHAR) || '|' ||
       printf('%.4f', anonymous_share) || '|' || CAST(distinct_domains AS VARCHAR) || '|' ||
       CAST(risk_score AS VARCHAR) || '|' || risk_level || '|' || rules_fired || '|' || CAST(is_bot AS VARCHAR)
FROM gold_user_risk
UNION ALL
SELECT 'trending|' || event_date || '|' || CAST(event_hour AS VARCHAR) || '|' || CAST(rank AS VARCHAR) || '|' ||
       domain || '|' || title || '|' || CAST(edits AS VARCHAR) || '|' || CAST(unique_editors AS VARCHAR) || '|' ||
       CAST(net_bytes AS VARCHAR)
FROM gold_trending_pages
UNION ALL
SELECT 'daily|' || event_date || '|' || CAST(total_events AS VARCHAR) || '|' || CAST(total_edits AS VARCHAR) || '|' ||
       CAST(unique_users AS VARCHAR) || '|' || CAST(unique_pages AS VARCHAR) || '|' || CAST(active_wikis AS VARCHAR) || '|' ||
       printf('%.4f', bot_percentage) || '|' || printf('%.4f', anonymous_percentage) || '|' ||
       CAST(net_bytes AS VARCHAR) || '|' || CAST(large_deletions AS VARCHAR) || '|' ||
       CAST(high_risk_users AS VARCHAR) || '|' || CAST(medium_risk_users AS VARCHAR) || '|' || top_domain
FROM gold_daily_summary;

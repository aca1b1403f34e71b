-- The definition of gold_kpi_5min: per 5-minute window of event_time (temp.lh_silver says which),
-- over the edits (edit, new) of all wikis.
INSERT INTO gold_kpi_5min
SELECT window_start, window_end,
       total_edits, unique_editors, active_pages, bot_edits, total_edits - bot_edits AS human_edits,
       net_bytes_added, avg_bytes_per_edit, large_edits_count, revert_like_edits, volatility_score,
       round(100.0 * bot_edits / total_edits, 2) AS bot_edit_percentage,
       total_edits / 5.0 AS edits_per_minute,
       CASE WHEN net_bytes_added > 0.05 * volatility_score THEN 'GROWING'
            WHEN net_bytes_added < -0.05 * volatility_score THEN 'SHRINKING'
            ELSE 'STABLE' END AS knowledge_trend
FROM (
  SELECT window_start,
         strftime('%Y-%m-%d %H:%M:%f', window_start, '+5 minutes') AS window_end,
         count(*)                                        AS total_edits,
         count(DISTINCT user_name)                       AS unique_editors,
         count(DISTINCT domain || '|' || title)          AS active_pages,
         sum(is_bot)                                     AS bot_edits,
         coalesce(sum(length_delta), 0)                  AS net_bytes_added,
         round(avg(length_delta), 2)                     AS avg_bytes_per_edit,
         count(CASE WHEN length_delta > 500 THEN 1 END)  AS large_edits_count,
         count(CASE WHEN length_delta < -500 THEN 1 END) AS revert_like_edits,
         coalesce(sum(abs(length_delta)), 0)             AS volatility_score
  FROM temp.lh_silver
  WHERE type IN ('edit', 'new')
  GROUP BY window_start
);

INSERT INTO lh_gold_windows
SELECT window_start, count(length_delta) FROM temp.lh_silver WHERE type IN ('edit', 'new') GROUP BY window_start;

-- gold_kpi_5min: per 5-minute window of event_time, over edits (edit, new) of all wikis.
DELETE FROM gold_kpi_5min WHERE window_start IN (SELECT window_start FROM temp.lh_touched_windows);

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
  SELECT w.window_start,
         strftime('%Y-%m-%d %H:%M:%f', w.window_start, '+5 minutes') AS window_end,
         count(*)                                        AS total_edits,
         count(DISTINCT s.user_name)                     AS unique_editors,
         count(DISTINCT s.domain || '|' || s.title)      AS active_pages,
         sum(s.is_bot)                                   AS bot_edits,
         coalesce(sum(s.length_delta), 0)                AS net_bytes_added,
         round(avg(s.length_delta), 2)                   AS avg_bytes_per_edit,
         sum(s.length_delta > 500)                       AS large_edits_count,
         sum(s.length_delta < -500)                      AS revert_like_edits,
         coalesce(sum(abs(s.length_delta)), 0)           AS volatility_score
  FROM temp.lh_touched_windows AS w
  CROSS JOIN silver_events AS s INDEXED BY silver_by_time  -- touched windows stay the outer loop
  WHERE s.event_time >= w.window_start
    AND s.event_time < strftime('%Y-%m-%d %H:%M:%f', w.window_start, '+5 minutes')
    AND s.type IN ('edit', 'new')
  GROUP BY w.window_start
);

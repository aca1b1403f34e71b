-- gold_kpi_5min: per 5-minute window of event_time, over edits (edit, new) of all wikis.
-- Each touched hour is read once (through silver_by_hour_domain) and split into its windows;
-- only the touched windows are replaced.
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
  SELECT window_start,
         strftime('%Y-%m-%d %H:%M:%f', window_start, '+5 minutes') AS window_end,
         count(*)                                        AS total_edits,
         count(DISTINCT user_name)                       AS unique_editors,
         count(DISTINCT domain || '|' || title)          AS active_pages,
         sum(is_bot)                                     AS bot_edits,
         coalesce(sum(length_delta), 0)                  AS net_bytes_added,
         round(avg(length_delta), 2)                     AS avg_bytes_per_edit,
         sum(length_delta > 500)                         AS large_edits_count,
         sum(length_delta < -500)                        AS revert_like_edits,
         coalesce(sum(abs(length_delta)), 0)             AS volatility_score
  FROM (
    SELECT s.*, substr(s.event_time, 1, 14) || printf('%02d', CAST(substr(s.event_time, 15, 2) AS INTEGER) / 5 * 5)
                || ':00.000' AS window_start
    FROM (SELECT DISTINCT substr(window_start, 1, 10) AS event_date,
                          CAST(substr(window_start, 12, 2) AS INTEGER) AS event_hour
          FROM temp.lh_touched_windows) AS h
    CROSS JOIN silver_events AS s INDEXED BY silver_by_hour_domain  -- touched hours stay the outer loop
    WHERE s.event_date = h.event_date AND s.event_hour = h.event_hour AND s.type IN ('edit', 'new')
  )
  WHERE window_start IN (SELECT window_start FROM temp.lh_touched_windows)
  GROUP BY window_start
);

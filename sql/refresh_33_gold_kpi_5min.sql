-- gold_kpi_5min by deltas, over edits (edit, new): counts and sums add; unique editors and active
-- pages grow by the ones new to the window; the rest follows from the new totals.

-- Per 5-minute window: what the new edits add (read once here, by the three statements below).
-- window_start is lh_silver's, read from one of the window's rows (by its rowid).
DROP TABLE IF EXISTS temp.lh_delta_windows;
CREATE TEMP TABLE lh_delta_windows AS
SELECT event_date, window5,
       (SELECT s.window_start FROM temp.lh_silver AS s WHERE s.bronze_id = w.first_row) AS window_start,
       total_edits, bot_edits, net_bytes_added, known_deltas, large_edits_count, revert_like_edits,
       volatility_score
FROM (SELECT event_date, window5,
             min(bronze_id)                                  AS first_row,
             count(*)                                        AS total_edits,
             sum(is_bot)                                     AS bot_edits,
             coalesce(sum(length_delta), 0)                  AS net_bytes_added,
             count(length_delta)                             AS known_deltas,
             count(CASE WHEN length_delta > 500 THEN 1 END)  AS large_edits_count,
             count(CASE WHEN length_delta < -500 THEN 1 END) AS revert_like_edits,
             coalesce(sum(abs(length_delta)), 0)             AS volatility_score
      FROM temp.lh_delta WHERE is_edit GROUP BY event_date, window5) AS w;

INSERT INTO lh_gold_windows
SELECT window_start, known_deltas FROM temp.lh_delta_windows WHERE true
ON CONFLICT (window_start) DO UPDATE SET known_deltas = known_deltas + excluded.known_deltas;

INSERT INTO gold_kpi_5min (window_start, window_end, total_edits, unique_editors, active_pages, bot_edits,
                           net_bytes_added, large_edits_count, revert_like_edits, volatility_score)
SELECT d.window_start, strftime('%Y-%m-%d %H:%M:%f', d.window_start, '+5 minutes'), total_edits,
       coalesce(e.n, 0), coalesce(p.n, 0), bot_edits, net_bytes_added, large_edits_count,
       revert_like_edits, volatility_score
FROM temp.lh_delta_windows AS d
LEFT JOIN (SELECT event_date, window5, count(*) AS n
           FROM temp.lh_delta_editors WHERE new_editor_in_window
           GROUP BY event_date, window5) AS e USING (event_date, window5)
LEFT JOIN (SELECT event_date, window5, count(*) AS n  -- (a page has one row per window there)
           FROM temp.lh_delta_pages WHERE new_edited_in_window
           GROUP BY event_date, window5) AS p USING (event_date, window5)
WHERE true
ON CONFLICT (window_start) DO UPDATE SET
  total_edits = total_edits + excluded.total_edits,
  unique_editors = unique_editors + excluded.unique_editors,
  active_pages = active_pages + excluded.active_pages,
  bot_edits = bot_edits + excluded.bot_edits,
  net_bytes_added = net_bytes_added + excluded.net_bytes_added,
  large_edits_count = large_edits_count + excluded.large_edits_count,
  revert_like_edits = revert_like_edits + excluded.revert_like_edits,
  volatility_score = volatility_score + excluded.volatility_score;

UPDATE gold_kpi_5min
SET human_edits = total_edits - bot_edits,
    avg_bytes_per_edit = round(1.0 * net_bytes_added / nullif((SELECT known_deltas FROM lh_gold_windows AS w
                                                              WHERE w.window_start = gold_kpi_5min.window_start), 0), 2),
    bot_edit_percentage = round(100.0 * bot_edits / total_edits, 2),
    edits_per_minute = total_edits / 5.0,
    knowledge_trend = CASE WHEN net_bytes_added > 0.05 * volatility_score THEN 'GROWING'
                           WHEN net_bytes_added < -0.05 * volatility_score THEN 'SHRINKING'
                           ELSE 'STABLE' END
WHERE window_start IN (SELECT window_start FROM temp.lh_delta_windows);

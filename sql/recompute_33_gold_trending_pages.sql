-- The definition of gold_trending_pages: the 50 pages with the most edits per (event_date,
-- event_hour); ties go to more editors, then by domain and title, so the ranking is deterministic.
INSERT INTO gold_trending_pages (event_date, event_hour, rank, domain, title, edits, unique_editors, net_bytes)
SELECT event_date, event_hour, rank, domain, title, edits, unique_editors, net_bytes
FROM (
  SELECT event_date, event_hour, domain, title,
         count(*)                       AS edits,
         count(DISTINCT user_name)      AS unique_editors,
         coalesce(sum(length_delta), 0) AS net_bytes,
         row_number() OVER (PARTITION BY event_date, event_hour
                            ORDER BY count(*) DESC, count(DISTINCT user_name) DESC, domain, title) AS rank
  FROM temp.lh_silver
  WHERE type IN ('edit', 'new') AND title IS NOT NULL
  GROUP BY event_date, event_hour, domain, title
)
WHERE rank <= 50;

-- gold_trending_pages: the 50 pages with the most edits per (event_date, event_hour); ties go
-- to more editors, then by domain and title, so the ranking is deterministic.
DELETE FROM gold_trending_pages
WHERE (event_date, event_hour) IN (SELECT event_date, event_hour FROM temp.lh_touched_day_hours);

INSERT INTO gold_trending_pages (event_date, event_hour, rank, domain, title, edits, unique_editors, net_bytes)
SELECT event_date, event_hour, rank, domain, title, edits, unique_editors, net_bytes
FROM (
  SELECT s.event_date, s.event_hour, s.domain, s.title,
         count(*)                         AS edits,
         count(DISTINCT s.user_name)      AS unique_editors,
         coalesce(sum(s.length_delta), 0) AS net_bytes,
         row_number() OVER (PARTITION BY s.event_date, s.event_hour
                            ORDER BY count(*) DESC, count(DISTINCT s.user_name) DESC, s.domain, s.title) AS rank
  FROM temp.lh_touched_day_hours AS t
  CROSS JOIN silver_events AS s INDEXED BY silver_by_hour_domain  -- touched hours stay the outer loop
  WHERE s.event_date = t.event_date AND s.event_hour = t.event_hour
    AND s.type IN ('edit', 'new') AND s.title IS NOT NULL
  GROUP BY s.event_date, s.event_hour, s.domain, s.title
)
WHERE rank <= 50;

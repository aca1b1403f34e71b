-- gold_user_risk: per (event_date, user_name), over that day's events of users with a name.
-- risk_score = 40 if max_edits_per_hour > 50, + 30 if large_deletions > 3,
--            + 20 if anonymous_share > 0.5, + 10 if distinct_domains > 5.
-- (CROSS JOIN keeps the touched groups as the outer loop: SQLite never reorders it, so the
-- refresh reads only the touched users' rows through silver_by_day_user.)
DELETE FROM gold_user_risk
WHERE (event_date, user_name) IN (SELECT event_date, user_name FROM temp.lh_touched_users);

INSERT INTO gold_user_risk
-- One pass over the touched users' rows, grouped finely enough to answer everything: per hour
-- (for max_edits_per_hour) and per domain (for distinct_domains).
WITH per_hour_domain AS MATERIALIZED (
  SELECT s.event_date, s.user_name, s.event_hour, s.domain,
         count(*)                        AS events,
         sum(s.type IN ('edit', 'new'))  AS edits,
         sum(s.is_large_deletion)        AS large_deletions,
         sum(s.is_anonymous)             AS anonymous_events,
         max(s.is_bot)                   AS is_bot
  FROM temp.lh_touched_users AS t
  CROSS JOIN silver_events AS s INDEXED BY silver_by_day_user
  WHERE s.event_date = t.event_date AND s.user_name = t.user_name
  GROUP BY s.event_date, s.user_name, s.event_hour, s.domain
),
hourly_max AS (
  SELECT event_date, user_name, max(edits) AS max_edits_per_hour
  FROM (SELECT event_date, user_name, sum(edits) AS edits FROM per_hour_domain GROUP BY event_date, user_name, event_hour)
  GROUP BY event_date, user_name
),
per_day AS (
  SELECT event_date, user_name,
         sum(events)                                           AS events,
         sum(edits)                                            AS edits,
         sum(large_deletions)                                  AS large_deletions,
         round(1.0 * sum(anonymous_events) / sum(events), 4)   AS anonymous_share,
         count(DISTINCT domain)                                AS distinct_domains,
         max(is_bot)                                           AS is_bot
  FROM per_hour_domain GROUP BY event_date, user_name
),
scored AS (
  SELECT per_day.*, hourly_max.max_edits_per_hour,
         (CASE WHEN max_edits_per_hour > 50 THEN 40 ELSE 0 END) +
         (CASE WHEN large_deletions > 3 THEN 30 ELSE 0 END) +
         (CASE WHEN anonymous_share > 0.5 THEN 20 ELSE 0 END) +
         (CASE WHEN distinct_domains > 5 THEN 10 ELSE 0 END) AS risk_score
  FROM per_day JOIN hourly_max USING (event_date, user_name)
)
SELECT event_date, user_name, events, edits, max_edits_per_hour, large_deletions, anonymous_share,
       distinct_domains, risk_score,
       CASE WHEN risk_score >= 70 THEN 'HIGH' WHEN risk_score >= 40 THEN 'MEDIUM' ELSE 'LOW' END AS risk_level,
       json('[' || rtrim(
         CASE WHEN max_edits_per_hour > 50 THEN '"max_edits_per_hour>50",' ELSE '' END ||
         CASE WHEN large_deletions > 3 THEN '"large_deletions>3",' ELSE '' END ||
         CASE WHEN anonymous_share > 0.5 THEN '"anonymous_share>0.5",' ELSE '' END ||
         CASE WHEN distinct_domains > 5 THEN '"distinct_domains>5",' ELSE '' END, ',') || ']') AS rules_fired,
       is_bot
FROM scored;

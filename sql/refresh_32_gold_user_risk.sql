-- gold_user_risk: per (event_date, user_name), over that day's events of users with a name.
-- risk_score = 40 if max_edits_per_hour > 50, + 30 if large_deletions > 3,
--            + 20 if anonymous_share > 0.5, + 10 if distinct_domains > 5.
DELETE FROM gold_user_risk
WHERE (event_date, user_name) IN (SELECT event_date, user_name FROM temp.lh_touched_users);

INSERT INTO gold_user_risk
SELECT event_date, user_name, events, edits, max_edits_per_hour, large_deletions, anonymous_share,
       distinct_domains, risk_score,
       CASE WHEN risk_score >= 70 THEN 'HIGH' WHEN risk_score >= 40 THEN 'MEDIUM' ELSE 'LOW' END AS risk_level,
       json('[' || rtrim(
         CASE WHEN max_edits_per_hour > 50 THEN '"max_edits_per_hour>50",' ELSE '' END ||
         CASE WHEN large_deletions > 3 THEN '"large_deletions>3",' ELSE '' END ||
         CASE WHEN anonymous_share > 0.5 THEN '"anonymous_share>0.5",' ELSE '' END ||
         CASE WHEN distinct_domains > 5 THEN '"distinct_domains>5",' ELSE '' END, ',') || ']') AS rules_fired,
       is_bot
FROM (
  SELECT *,
         (CASE WHEN max_edits_per_hour > 50 THEN 40 ELSE 0 END) +
         (CASE WHEN large_deletions > 3 THEN 30 ELSE 0 END) +
         (CASE WHEN anonymous_share > 0.5 THEN 20 ELSE 0 END) +
         (CASE WHEN distinct_domains > 5 THEN 10 ELSE 0 END) AS risk_score
  FROM (
    SELECT s.event_date, s.user_name,
           count(*)                          AS events,
           sum(s.type IN ('edit', 'new'))    AS edits,
           coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM silver_events AS h
                                         WHERE h.event_date = s.event_date AND h.user_name = s.user_name
                                           AND h.type IN ('edit', 'new')
                                         GROUP BY h.event_hour)), 0) AS max_edits_per_hour,
           sum(s.is_large_deletion)          AS large_deletions,
           round(avg(s.is_anonymous), 4)     AS anonymous_share,
           count(DISTINCT s.domain)          AS distinct_domains,
           max(s.is_bot)                     AS is_bot
    FROM temp.lh_touched_users AS t
    JOIN silver_events AS s ON s.event_date = t.event_date AND s.user_name = t.user_name
    GROUP BY s.event_date, s.user_name
  )
);

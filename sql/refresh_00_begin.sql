-- Once per refresh, before the Silver steps.
--
-- lh_classified: Bronze rows as Silver would hold them, with the first validity rule each breaks,
-- for the Bronze id ranges in temp.lh_parse_ranges (lo < bronze_id <= hi; sql/refresh_10_silver.sql
-- fills it with the step's window, then with the rows Silver did not take). bronze_parsed(lo, hi)
-- decompresses and parses each row once (C++, simdjson); everything that makes a row Silver is
-- here.
CREATE TEMP TABLE IF NOT EXISTS lh_window (lo INTEGER, hi INTEGER);
CREATE TEMP TABLE IF NOT EXISTS lh_parse_ranges (lo INTEGER, hi INTEGER);
DROP VIEW IF EXISTS temp.lh_classified;
CREATE TEMP VIEW lh_classified AS
WITH parsed AS (
  -- (the fields Silver stores or its rules read: comment, rc_id, ... stay in the payload)
  SELECT p.bronze_id, p.event_id, p.event_time, p.ingested_at, p.domain, p.type, p.namespace, p.title,
         p.user_name, p.wiki, p.length_old, p.length_new, p.bot, p.parse_error, p.event_time_ms,
         coalesce(p.domain = 'canary', 0) AS is_canary
  FROM temp.lh_parse_ranges AS w, bronze_parsed(w.lo, w.hi) AS p
  -- Each field fetched once a row: `LIMIT -1 OFFSET 0` keeps SQLite from flattening this into
  -- the SELECT below, which would fetch a field from bronze_parsed at every mention of it (41
  -- fetches a row instead of 25; ~1 s of a 1M refresh).
  LIMIT -1 OFFSET 0
)
SELECT parsed.*,
       coalesce(bot, 0) AS is_bot,
       coalesce(is_ip(user_name), 0) AS is_anonymous,
       coalesce(substr(user_name, 1, 1) = '~', 0) AS is_temporary,
       -- Validity rules, first broken one wins. Canary events are not checked: they never reach
       -- Silver (they stay in Bronze to prove the stream is alive).
       CASE
         WHEN is_canary THEN NULL
         WHEN parse_error IS NOT NULL THEN 'readable'
         WHEN domain IS NULL OR domain = '' THEN 'has_domain'
         WHEN type IS NULL OR type NOT IN ('edit', 'new', 'log', 'categorize', 'external') THEN 'valid_type'
         WHEN namespace IS NOT NULL AND namespace < -2 THEN 'valid_namespace'
         -- (ingested_at <= now, so "a day after arrival" is bounded by now + 1 day, computed once)
         WHEN event_time < '2001-01-15' OR event_time > (SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 day'))
           THEN 'plausible_time'
         WHEN length_new < 0 OR length_old < 0 THEN 'valid_length'
       END AS reject_rule
FROM parsed;

-- lh_silver: Silver with the 5-minute window of each row, as a number (0..287 within its day:
-- hour * 12 + minute / 5, from the stored milliseconds) and as gold_kpi_5min's window_start: the
-- one place that says how a time falls into a window. window_start is the date, the hour and the
-- window's first minute, spelled from a table of the twelve ('00', '05', ..., '55'): the same
-- text as printf('%02d:%02d:00.000', ...) after the date, at half the cost (printf took 1.7 s of
-- a 1M refresh). And with the wiki's domain, for Gold, which groups by it (a lookup by domain_id,
-- made only where a query reads it).
DROP VIEW IF EXISTS temp.lh_silver;
CREATE TEMP VIEW lh_silver AS
  SELECT *, event_date || ' ' || substr(100 + event_hour, 2) || ':'
              || substr('000510152025303540455055', window5 % 12 * 2 + 1, 2) || ':00.000' AS window_start
  FROM (SELECT s.*, (event_time_ms % 86400000 + 86400000) % 86400000 / 300000 AS window5,
               (SELECT d.domain FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS domain
        FROM silver_events_stored AS s);

-- The batch, set by the caller: Bronze rows in (lo, hi]. Gold takes Silver's rows in (gold_lo, hi]
-- as new (gold_lo = lo, or 0 when Gold is rebuilt) and every other Silver row as counted: a batch
-- that a data-quality gate held comes back later with ids below newer batches.
CREATE TEMP TABLE IF NOT EXISTS lh_batch (lo INTEGER, hi INTEGER, gold_lo INTEGER);

-- gold_user_risk's rules, over temp.lh_user_days: per (day, user) counts, filled from
-- lh_gold_hour_users by the full recomputation and from lh_gold_user_days plus the new rows by the
-- delta refresh.
-- risk_score = 40 if max_edits_per_hour > 50, + 30 if large_deletions > 3,
--            + 20 if anonymous_share > 0.5, + 10 if distinct_domains > 5.
CREATE TEMP TABLE IF NOT EXISTS lh_user_days (
  event_date, user_name, events, edits, large_deletions, anonymous_events, distinct_domains, max_edits_per_hour,
  is_bot);
DROP VIEW IF EXISTS temp.lh_user_risk_scored;
CREATE TEMP VIEW lh_user_risk_scored AS
WITH scored AS (
  SELECT event_date, user_name, events, edits, max_edits_per_hour, large_deletions,
         round(1.0 * anonymous_events / events, 4) AS anonymous_share, distinct_domains, is_bot
  FROM temp.lh_user_days
),
with_score AS (
  SELECT scored.*,
         (CASE WHEN max_edits_per_hour > 50 THEN 40 ELSE 0 END) +
         (CASE WHEN large_deletions > 3 THEN 30 ELSE 0 END) +
         (CASE WHEN anonymous_share > 0.5 THEN 20 ELSE 0 END) +
         (CASE WHEN distinct_domains > 5 THEN 10 ELSE 0 END) AS risk_score
  FROM scored
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
FROM with_score;

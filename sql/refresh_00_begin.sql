-- Once per refresh, before the Silver steps.
--
-- lh_classified: the Bronze rows of the current step (temp.lh_window: lo < bronze_id <= hi) as
-- Silver would hold them, with the first validity rule each breaks. bronze_parsed(lo, hi)
-- decompresses and parses each row once (C++, simdjson); everything that makes a row Silver is
-- here.
CREATE TEMP TABLE IF NOT EXISTS lh_window (lo INTEGER, hi INTEGER);
DROP VIEW IF EXISTS temp.lh_classified;
CREATE TEMP VIEW lh_classified AS
WITH parsed AS (
  SELECT p.*,
         wiki_project(p.domain) AS project,
         wiki_language(p.domain) AS language,
         coalesce(p.domain = 'canary', 0) AS is_canary
  FROM bronze_parsed((SELECT lo FROM temp.lh_window), (SELECT hi FROM temp.lh_window)) AS p
)
SELECT parsed.*,
       CASE WHEN parsed.language IS NOT NULL THEN coalesce(r.region, 'other')
            WHEN parsed.project = 'other' THEN 'other'
            ELSE 'global' END AS region,
       coalesce(bot, 0) AS is_bot,
       coalesce(is_ip(user_name), 0) AS is_anonymous,
       coalesce(substr(user_name, 1, 1) = '~', 0) AS is_temporary,
       -- Validity rules, first broken one wins. Canary events are not checked: they never reach
       -- Silver (they stay in Bronze to prove the stream is alive).
       CASE
         WHEN is_canary THEN NULL
         WHEN parse_error IS NOT NULL THEN 'readable'
         WHEN parsed.domain IS NULL OR parsed.domain = '' THEN 'has_domain'
         WHEN type IS NULL OR type NOT IN ('edit', 'new', 'log', 'categorize', 'external') THEN 'valid_type'
         WHEN namespace IS NOT NULL AND namespace < -2 THEN 'valid_namespace'
         -- (ingested_at <= now, so "a day after arrival" is bounded by now + 1 day, computed once)
         WHEN event_time < '2001-01-15' OR event_time > (SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 day'))
           THEN 'plausible_time'
         WHEN length_new < 0 OR length_old < 0 THEN 'valid_length'
       END AS reject_rule
FROM parsed LEFT JOIN ref_language_region AS r ON r.language = parsed.language;

-- lh_step_rows: the Silver rows the current step added (a rowid range: Silver shares Bronze's ids).
DROP VIEW IF EXISTS temp.lh_step_rows;
CREATE TEMP VIEW lh_step_rows AS
  SELECT * FROM silver_events
  WHERE bronze_id > (SELECT lo FROM temp.lh_window) AND bronze_id <= (SELECT hi FROM temp.lh_window);

-- The Gold groups this refresh touches: each step adds to them (refresh_20_touched.sql); Gold
-- recomputes every touched group once (refresh_3*). A full recomputation fills them with every
-- group in Silver.
CREATE TEMP TABLE IF NOT EXISTS lh_touched_hours (event_date, event_hour, domain, PRIMARY KEY (event_date, event_hour, domain));
CREATE TEMP TABLE IF NOT EXISTS lh_touched_day_hours (event_date, event_hour, PRIMARY KEY (event_date, event_hour));
CREATE TEMP TABLE IF NOT EXISTS lh_touched_days (event_date PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS lh_touched_windows (window_start PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS lh_touched_users (event_date, user_name, PRIMARY KEY (event_date, user_name));
DELETE FROM temp.lh_touched_hours;
DELETE FROM temp.lh_touched_day_hours;
DELETE FROM temp.lh_touched_days;
DELETE FROM temp.lh_touched_windows;
DELETE FROM temp.lh_touched_users;

-- Silver: Bronze rows not seen before → silver_events, or silver_rejects with the rule broken.
--
-- The refresh engine sets temp.lh_window(lo, hi): Bronze rows with lo < bronze_id <= hi are new.
-- bronze_parsed(lo, hi) decompresses and parses each of them once (C++, simdjson) and yields the
-- raw fields; everything that makes them Silver is here. The batch is kept in temp.silver_batch
-- so the Gold scripts (and data-quality rules) can see exactly what this refresh added.
DROP TABLE IF EXISTS temp.silver_batch;
CREATE TEMP TABLE silver_batch AS
WITH parsed AS (
  SELECT p.*,
         wiki_project(p.domain) AS project,
         wiki_language(p.domain) AS language,
         p.domain = 'canary' AS is_canary
  FROM bronze_parsed((SELECT lo FROM temp.lh_window), (SELECT hi FROM temp.lh_window)) AS p
),
classified AS (
  SELECT parsed.*,
         CASE WHEN parsed.language IS NOT NULL THEN coalesce(r.region, 'other')
              WHEN parsed.project = 'other' THEN 'other'
              ELSE 'global' END AS region,
         coalesce(bot, 0) AS is_bot,
         coalesce(is_ip(user_name), 0) AS is_anonymous,
         coalesce(substr(user_name, 1, 1) = '~', 0) AS is_temporary,
         -- Validity rules, first broken one wins. Canary events are not checked: they never
         -- reach Silver (they stay in Bronze to prove the stream is alive).
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
  FROM parsed LEFT JOIN ref_language_region AS r ON r.language = parsed.language
)
SELECT *,
       CASE reject_rule
         WHEN 'readable' THEN 'the Bronze payload cannot be read: ' || parse_error
         WHEN 'has_domain' THEN 'no domain: neither meta.domain nor server_name'
         WHEN 'valid_type' THEN 'type ' || quote(type) || ' is not one of edit, new, log, categorize, external'
         WHEN 'valid_namespace' THEN 'namespace ' || namespace || ' is below -2 (Media)'
         WHEN 'plausible_time' THEN 'event_time ' || event_time || ' is before Wikipedia began or more than a day in the future (it arrived ' || ingested_at || ')'
         WHEN 'valid_length' THEN 'negative page length (old ' || coalesce(length_old, 'null') || ', new ' || coalesce(length_new, 'null') || ')'
       END AS reject_reason,
       (reject_rule IS NULL AND NOT is_canary) AS accepted
FROM classified;

INSERT OR REPLACE INTO silver_rejects (bronze_id, event_id, rule, reason, rejected_at)
  SELECT bronze_id, event_id, reject_rule, reject_reason, strftime('%Y-%m-%d %H:%M:%f', 'now')
  FROM temp.silver_batch WHERE reject_rule IS NOT NULL;

INSERT OR REPLACE INTO silver_events (
  bronze_id, event_id, event_time, ingested_at, domain, wiki, type, namespace, title, rc_id,
  revision_old, revision_new, comment, log_type, log_action, project, language, region, user_name,
  is_bot, is_anonymous, is_temporary, is_minor, is_patrolled, length_old, length_new)
SELECT bronze_id, event_id, event_time, ingested_at, domain, wiki, type, namespace, title, rc_id,
       revision_old, revision_new, comment, log_type, log_action, project, language, region, user_name,
       is_bot, is_anonymous, is_temporary, minor, patrolled, length_old, length_new
FROM temp.silver_batch WHERE accepted
ORDER BY bronze_id;

-- The stock sqlite3 + JSON1 peer of `litehouse ingest` (issue 5): the contract of
-- ../shared/spec/medallion.md written as the plain SQL an analyst would run in the sqlite3 CLI.
-- NDJSON → Bronze (deduplicated by event_id, the raw line kept as text) → Silver (JSON1
-- extraction, the same validity rules) → the five Gold tables. No litehouse function is used.
--
-- bench/compare_bench.sh runs it as `sqlite3 OUT.db < this` with @INPUT@ replaced by the input
-- file and @US@ by the ASCII unit separator (0x1F), which valid JSON never holds raw, so .import
-- reads each line whole.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA cache_size = -65536;

CREATE TEMP TABLE raw_lines (line TEXT);
.mode ascii
.separator "@US@" "\n"
.import --schema temp @INPUT@ raw_lines

-- Bronze: one row per event_id; the first delivery wins. Lines that are not JSON objects, or have
-- no time, are rejected with a reason.
CREATE TABLE bronze_events (
  event_id TEXT PRIMARY KEY, kafka_topic TEXT, kafka_partition INTEGER, kafka_offset INTEGER,
  event_time TEXT NOT NULL, ingested_at TEXT NOT NULL, domain TEXT, raw TEXT NOT NULL);
CREATE TABLE bronze_rejects (line INTEGER, reason TEXT, raw TEXT);
INSERT INTO bronze_rejects
SELECT rowid, 'not a JSON object', line FROM temp.raw_lines
WHERE line <> '' AND (NOT json_valid(line) OR json_type(line) <> 'object');

INSERT OR IGNORE INTO bronze_events
SELECT event_id, topic, part, off, event_time, strftime('%Y-%m-%d %H:%M:%f', 'now'), domain, line
FROM (
  SELECT line,
         coalesce(nullif(json_extract(line, '$.meta.id'), ''), 'content-' || line) AS event_id,
         json_extract(line, '$.meta.topic') AS topic,
         json_extract(line, '$.meta.partition') AS part,
         json_extract(line, '$.meta.offset') AS off,
         coalesce(strftime('%Y-%m-%d %H:%M:%f', json_extract(line, '$.meta.dt')),
                  strftime('%Y-%m-%d %H:%M:%f', json_extract(line, '$.timestamp'), 'unixepoch')) AS event_time,
         coalesce(json_extract(line, '$.meta.domain'), json_extract(line, '$.server_name')) AS domain
  FROM temp.raw_lines
  WHERE line <> '' AND json_valid(line) AND json_type(line) = 'object'
)
WHERE event_time IS NOT NULL
ORDER BY rowid;
INSERT INTO bronze_rejects
SELECT rowid, 'no event time', line FROM temp.raw_lines
WHERE line <> '' AND json_valid(line) AND json_type(line) = 'object'
  AND json_extract(line, '$.meta.dt') IS NULL AND json_extract(line, '$.timestamp') IS NULL;
DROP TABLE temp.raw_lines;

-- Silver.
.read @SQLDIR@/schema_40_ref_language_region.sql
CREATE TEMP VIEW classified AS
WITH e AS (
  SELECT b.rowid AS bronze_id, event_id, event_time, ingested_at, domain,
         json_extract(raw, '$.wiki') AS wiki, json_extract(raw, '$.type') AS type,
         json_extract(raw, '$.namespace') AS namespace, json_extract(raw, '$.title') AS title,
         json_extract(raw, '$.id') AS rc_id,
         json_extract(raw, '$.revision.old') AS revision_old, json_extract(raw, '$.revision.new') AS revision_new,
         json_extract(raw, '$.comment') AS comment, json_extract(raw, '$.log_type') AS log_type,
         json_extract(raw, '$.log_action') AS log_action, json_extract(raw, '$.user') AS user_name,
         coalesce(json_extract(raw, '$.bot'), 0) AS is_bot, json_extract(raw, '$.minor') AS is_minor,
         json_extract(raw, '$.patrolled') AS is_patrolled,
         json_extract(raw, '$.length.old') AS length_old, json_extract(raw, '$.length.new') AS length_new,
         CASE WHEN domain = 'commons.wikimedia.org' THEN 'commons'
              WHEN domain = 'meta.wikimedia.org' THEN 'meta'
              WHEN domain = 'species.wikimedia.org' THEN 'species'
              WHEN domain = 'www.mediawiki.org' THEN 'mediawiki'
              WHEN domain = 'wikidata.org' OR domain LIKE '%.wikidata.org' THEN 'wikidata'
              WHEN domain = 'wikifunctions.org' OR domain LIKE '%.wikifunctions.org' THEN 'wikifunctions'
              WHEN domain LIKE '%.wikipedia.org' THEN 'wikipedia'
              WHEN domain LIKE '%.wiktionary.org' THEN 'wiktionary'
              WHEN domain LIKE '%.wikibooks.org' THEN 'wikibooks'
              WHEN domain LIKE '%.wikinews.org' THEN 'wikinews'
              WHEN domain LIKE '%.wikiquote.org' THEN 'wikiquote'
              WHEN domain LIKE '%.wikisource.org' THEN 'wikisource'
              WHEN domain LIKE '%.wikiversity.org' THEN 'wikiversity'
              WHEN domain LIKE '%.wikivoyage.org' THEN 'wikivoyage'
              ELSE 'other' END AS project
  FROM bronze_events AS b WHERE coalesce(domain, '') <> 'canary'
),
l AS (
  SELECT e.*,
         CASE WHEN project IN ('wikipedia', 'wiktionary', 'wikibooks', 'wikinews', 'wikiquote', 'wikisource',
                               'wikiversity', 'wikivoyage')
                   AND length(domain) - length(replace(domain, '.', '')) = 2
                   AND substr(domain, 1, instr(domain, '.') - 1) NOT GLOB '*[^a-z-]*'
                   AND length(substr(domain, 1, instr(domain, '.') - 1)) BETWEEN 2 AND 12
                   AND substr(domain, 1, instr(domain, '.') - 1) NOT IN ('www', 'test', 'test2', 'beta')
              THEN substr(domain, 1, instr(domain, '.') - 1) END AS language
  FROM e
)
SELECT l.*,
       CASE WHEN language IS NOT NULL THEN coalesce(r.region, 'other') WHEN project = 'other' THEN 'other'
            ELSE 'global' END AS region,
       coalesce((user_name GLOB '[0-9]*.[0-9]*.[0-9]*.[0-9]*' AND user_name NOT GLOB '*[^0-9.]*')
                OR (user_name GLOB '*:*:*' AND user_name NOT GLOB '*[^0-9A-Fa-f:]*'), 0) AS is_anonymous,
       coalesce(substr(user_name, 1, 1) = '~', 0) AS is_temporary,
       CASE WHEN coalesce(domain, '') = '' THEN 'has_domain'
            WHEN type IS NULL OR type NOT IN ('edit', 'new', 'log', 'categorize', 'external') THEN 'valid_type'
            WHEN namespace < -2 THEN 'valid_namespace'
            WHEN event_time < '2001-01-15' OR event_time > strftime('%Y-%m-%d %H:%M:%f', 'now', '+1 day')
              THEN 'plausible_time'
            WHEN length_new < 0 OR length_old < 0 THEN 'valid_length' END AS reject_rule
FROM l LEFT JOIN ref_language_region AS r USING (language);

CREATE TABLE silver_events AS
SELECT bronze_id, event_id, event_time, substr(event_time, 1, 10) AS event_date,
       CAST(substr(event_time, 12, 2) AS INTEGER) AS event_hour, ingested_at, domain, wiki, type, namespace,
       title, rc_id, revision_old, revision_new, comment, log_type, log_action, project, language, region,
       user_name, is_bot, is_anonymous, is_temporary, is_minor, is_patrolled, length_old, length_new,
       length_new - coalesce(length_old, CASE WHEN type = 'new' THEN 0 END) AS length_delta
FROM temp.classified WHERE reject_rule IS NULL;
CREATE TABLE silver_rejects AS
SELECT bronze_id, event_id, reject_rule AS rule FROM temp.classified WHERE reject_rule IS NOT NULL;

-- Gold, as the contract defines it.
CREATE TABLE gold_hourly_stats AS
SELECT event_date, event_hour, domain, count(*) AS total_events, sum(type IN ('edit', 'new')) AS edits,
       sum(type = 'new') AS new_pages, sum(type = 'log') AS log_events, sum(type = 'categorize') AS categorize_events,
       count(DISTINCT user_name) AS unique_users, count(DISTINCT title) AS unique_pages, sum(is_bot) AS bot_events,
       round(100.0 * sum(is_bot) / count(*), 2) AS bot_percentage, sum(is_anonymous) AS anonymous_events,
       coalesce(sum(CASE WHEN length_delta > 0 THEN length_delta END), 0) AS bytes_added,
       coalesce(sum(CASE WHEN length_delta < 0 THEN -length_delta END), 0) AS bytes_removed,
       coalesce(sum(length_delta), 0) AS net_bytes,
       sum(coalesce(length_delta > 500, 0)) AS large_additions, sum(coalesce(length_delta < -500, 0)) AS large_deletions
FROM silver_events GROUP BY event_date, event_hour, domain;

CREATE TABLE gold_kpi_5min AS
SELECT window_start, strftime('%Y-%m-%d %H:%M:%f', window_start, '+5 minutes') AS window_end,
       count(*) AS total_edits, count(DISTINCT user_name) AS unique_editors,
       count(DISTINCT domain || '|' || title) AS active_pages, sum(is_bot) AS bot_edits,
       count(*) - sum(is_bot) AS human_edits, coalesce(sum(length_delta), 0) AS net_bytes_added,
       round(avg(length_delta), 2) AS avg_bytes_per_edit,
       count(CASE WHEN length_delta > 500 THEN 1 END) AS large_edits_count,
       count(CASE WHEN length_delta < -500 THEN 1 END) AS revert_like_edits,
       coalesce(sum(abs(length_delta)), 0) AS volatility_score,
       round(100.0 * sum(is_bot) / count(*), 2) AS bot_edit_percentage, count(*) / 5.0 AS edits_per_minute,
       CASE WHEN coalesce(sum(length_delta), 0) > 0.05 * coalesce(sum(abs(length_delta)), 0) THEN 'GROWING'
            WHEN coalesce(sum(length_delta), 0) < -0.05 * coalesce(sum(abs(length_delta)), 0) THEN 'SHRINKING'
            ELSE 'STABLE' END AS knowledge_trend
FROM (SELECT *, event_date || ' ' ||
                printf('%02d:%02d:00.000', event_hour, CAST(substr(event_time, 15, 2) AS INTEGER) / 5 * 5) AS window_start
      FROM silver_events WHERE type IN ('edit', 'new'))
GROUP BY window_start;

CREATE TABLE gold_user_risk AS
WITH per_hour AS (
  SELECT event_date, user_name, event_hour, sum(type IN ('edit', 'new')) AS edits
  FROM silver_events WHERE user_name IS NOT NULL GROUP BY event_date, user_name, event_hour
),
per_day AS (
  SELECT event_date, user_name, count(*) AS events, sum(type IN ('edit', 'new')) AS edits,
         sum(coalesce(length_delta < -500, 0)) AS large_deletions,
         round(1.0 * sum(is_anonymous) / count(*), 4) AS anonymous_share,
         count(DISTINCT domain) AS distinct_domains, max(is_bot) AS is_bot
  FROM silver_events WHERE user_name IS NOT NULL GROUP BY event_date, user_name
),
scored AS (
  SELECT d.*, m.max_edits_per_hour,
         (CASE WHEN max_edits_per_hour > 50 THEN 40 ELSE 0 END) + (CASE WHEN large_deletions > 3 THEN 30 ELSE 0 END) +
         (CASE WHEN anonymous_share > 0.5 THEN 20 ELSE 0 END) + (CASE WHEN distinct_domains > 5 THEN 10 ELSE 0 END)
           AS risk_score
  FROM per_day AS d
  JOIN (SELECT event_date, user_name, max(edits) AS max_edits_per_hour FROM per_hour GROUP BY event_date, user_name) AS m
    USING (event_date, user_name)
)
SELECT event_date, user_name, events, edits, max_edits_per_hour, large_deletions, anonymous_share, distinct_domains,
       risk_score, CASE WHEN risk_score >= 70 THEN 'HIGH' WHEN risk_score >= 40 THEN 'MEDIUM' ELSE 'LOW' END AS risk_level,
       '[' || rtrim(CASE WHEN max_edits_per_hour > 50 THEN '"max_edits_per_hour>50",' ELSE '' END ||
                    CASE WHEN large_deletions > 3 THEN '"large_deletions>3",' ELSE '' END ||
                    CASE WHEN anonymous_share > 0.5 THEN '"anonymous_share>0.5",' ELSE '' END ||
                    CASE WHEN distinct_domains > 5 THEN '"distinct_domains>5",' ELSE '' END, ',') || ']' AS rules_fired,
       is_bot
FROM scored;

CREATE TABLE gold_trending_pages AS
SELECT * FROM (
  SELECT event_date, event_hour,
         row_number() OVER (PARTITION BY event_date, event_hour
                            ORDER BY count(*) DESC, count(DISTINCT user_name) DESC, domain, title) AS rank,
         domain, title, count(*) AS edits, count(DISTINCT user_name) AS unique_editors,
         coalesce(sum(length_delta), 0) AS net_bytes
  FROM silver_events WHERE type IN ('edit', 'new') AND title IS NOT NULL
  GROUP BY event_date, event_hour, domain, title)
WHERE rank <= 50;

CREATE TABLE gold_daily_summary AS
SELECT event_date, count(*) AS total_events, sum(type IN ('edit', 'new')) AS total_edits,
       count(DISTINCT user_name) AS unique_users, count(DISTINCT domain || '|' || title) AS unique_pages,
       count(DISTINCT domain) AS active_wikis, round(100.0 * sum(is_bot) / count(*), 2) AS bot_percentage,
       round(100.0 * sum(is_anonymous) / count(*), 2) AS anonymous_percentage,
       coalesce(sum(length_delta), 0) AS net_bytes, sum(coalesce(length_delta < -500, 0)) AS large_deletions,
       (SELECT count(*) FROM gold_user_risk AS u WHERE u.event_date = d.event_date AND risk_level = 'HIGH')
         AS high_risk_users,
       (SELECT count(*) FROM gold_user_risk AS u WHERE u.event_date = d.event_date AND risk_level = 'MEDIUM')
         AS medium_risk_users,
       (SELECT domain FROM gold_hourly_stats AS h WHERE h.event_date = d.event_date
        GROUP BY domain ORDER BY sum(total_events) DESC, domain LIMIT 1) AS top_domain
FROM silver_events AS d GROUP BY event_date;

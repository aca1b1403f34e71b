-- The DuckDB peer of `litehouse ingest` (issue 5): the contract of ../shared/spec/medallion.md as a
-- read_json pipeline, the way a DuckDB user would write it. NDJSON → Bronze (typed columns,
-- deduplicated by event_id; DuckDB keeps no raw event) → Silver (the same validity rules) → the five
-- Gold tables. bench/peers/duckdb_run.mjs runs it with @INPUT@ replaced by the input file.
SET TimeZone = 'UTC';
CREATE TABLE bronze_events AS
SELECT * EXCLUDE (rn) FROM (
  SELECT coalesce(nullif(meta.id, ''), md5(concat_ws('|', meta.dt, "timestamp", server_name, title, "user", id, "comment"))) AS event_id,
         meta.topic AS kafka_topic, meta."partition" AS kafka_partition, meta."offset" AS kafka_offset,
         strftime(coalesce(CAST(meta.dt AS TIMESTAMP), to_timestamp("timestamp")::TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')
           AS event_time,
         strftime(now()::TIMESTAMP, '%Y-%m-%d %H:%M:%S.%g') AS ingested_at,
         coalesce(meta.domain, server_name) AS domain,
         wiki, "type", namespace, title, id AS rc_id, revision, "comment", log_type, log_action, "user", bot, minor,
         patrolled, length,
         row_number() OVER (PARTITION BY coalesce(nullif(meta.id, ''), md5(concat_ws('|', meta.dt, "timestamp", server_name, title, "user", id, "comment")))) AS rn
  FROM read_json('@INPUT@', format = 'newline_delimited', ignore_errors = true,
        columns = {meta: 'STRUCT(id VARCHAR, dt VARCHAR, domain VARCHAR, topic VARCHAR, "partition" BIGINT, "offset" BIGINT)',
                   wiki: 'VARCHAR', "type": 'VARCHAR', namespace: 'BIGINT', title: 'VARCHAR', id: 'BIGINT',
                   revision: 'STRUCT(old BIGINT, new BIGINT)', "comment": 'VARCHAR', log_type: 'VARCHAR',
                   log_action: 'VARCHAR', "user": 'VARCHAR', bot: 'BOOLEAN', minor: 'BOOLEAN', patrolled: 'BOOLEAN',
                   length: 'STRUCT(old BIGINT, new BIGINT)', server_name: 'VARCHAR', "timestamp": 'BIGINT'})
)
WHERE rn = 1 AND event_time IS NOT NULL;

CREATE TABLE ref_language_region AS SELECT * FROM read_csv('@REFCSV@', header = true);

CREATE TABLE classified AS
WITH e AS (
  SELECT event_id, event_time, ingested_at, domain, wiki, "type", namespace, title, rc_id,
         revision.old AS revision_old, revision.new AS revision_new, "comment", log_type, log_action,
         "user" AS user_name, coalesce(bot::INTEGER, 0) AS is_bot, minor::INTEGER AS is_minor,
         patrolled::INTEGER AS is_patrolled, length.old AS length_old, length.new AS length_new,
         CASE WHEN domain = 'commons.wikimedia.org' THEN 'commons'
              WHEN domain = 'meta.wikimedia.org' THEN 'meta'
              WHEN domain = 'species.wikimedia.org' THEN 'species'
              WHEN domain = 'www.mediawiki.org' THEN 'mediawiki'
              WHEN domain = 'wikidata.org' OR suffix(domain, '.wikidata.org') THEN 'wikidata'
              WHEN domain = 'wikifunctions.org' OR suffix(domain, '.wikifunctions.org') THEN 'wikifunctions'
              ELSE coalesce(regexp_extract(domain, '\.(wikipedia|wiktionary|wikibooks|wikinews|wikiquote|wikisource|wikiversity|wikivoyage)\.org$', 1), 'other')
         END AS project,
         regexp_extract(domain, '^([a-z][a-z-]{0,10}[a-z])\.(wikipedia|wiktionary|wikibooks|wikinews|wikiquote|wikisource|wikiversity|wikivoyage)\.org$', 1) AS label
  FROM bronze_events WHERE coalesce(domain, '') <> 'canary'
)
SELECT e.* EXCLUDE (label),
       CASE WHEN label NOT IN ('', 'www', 'test', 'test2', 'beta') THEN label END AS language,
       CASE WHEN label NOT IN ('', 'www', 'test', 'test2', 'beta') THEN coalesce(r.region, 'other')
            WHEN project = 'other' THEN 'other' ELSE 'global' END AS region,
       coalesce(regexp_full_match(user_name, '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+')
                OR regexp_full_match(user_name, '[0-9A-Fa-f]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*'), false)::INTEGER AS is_anonymous,
       coalesce(starts_with(user_name, '~'), false)::INTEGER AS is_temporary,
       CASE WHEN coalesce(domain, '') = '' THEN 'has_domain'
            WHEN "type" IS NULL OR "type" NOT IN ('edit', 'new', 'log', 'categorize', 'external') THEN 'valid_type'
            WHEN namespace < -2 THEN 'valid_namespace'
            WHEN event_time < '2001-01-15' OR event_time > strftime(now()::TIMESTAMP + INTERVAL 1 DAY, '%Y-%m-%d %H:%M:%S.%g')
              THEN 'plausible_time'
            WHEN length_new < 0 OR length_old < 0 THEN 'valid_length' END AS reject_rule
FROM e LEFT JOIN ref_language_region AS r ON r.language = e.label;

CREATE TABLE silver_events AS
SELECT * EXCLUDE (reject_rule), substr(event_time, 1, 10) AS event_date, CAST(substr(event_time, 12, 2) AS INTEGER) AS event_hour,
       length_new - coalesce(length_old, CASE WHEN "type" = 'new' THEN 0 END) AS length_delta
FROM classified WHERE reject_rule IS NULL;
CREATE TABLE silver_rejects AS SELECT event_id, reject_rule AS rule FROM classified WHERE reject_rule IS NOT NULL;
DROP TABLE classified;

CREATE TABLE gold_hourly_stats AS
SELECT event_date, event_hour, domain, count(*) AS total_events, count(*) FILTER (WHERE "type" IN ('edit', 'new')) AS edits,
       count(*) FILTER (WHERE "type" = 'new') AS new_pages, count(*) FILTER (WHERE "type" = 'log') AS log_events,
       count(*) FILTER (WHERE "type" = 'categorize') AS categorize_events, count(DISTINCT user_name) AS unique_users,
       count(DISTINCT title) AS unique_pages, sum(is_bot) AS bot_events,
       round(100.0::DOUBLE * sum(is_bot) / count(*), 2) AS bot_percentage, sum(is_anonymous) AS anonymous_events,
       coalesce(sum(CASE WHEN length_delta > 0 THEN length_delta END), 0) AS bytes_added,
       coalesce(sum(CASE WHEN length_delta < 0 THEN -length_delta END), 0) AS bytes_removed,
       coalesce(sum(length_delta), 0) AS net_bytes,
       count(*) FILTER (WHERE length_delta > 500) AS large_additions, count(*) FILTER (WHERE length_delta < -500) AS large_deletions
FROM silver_events GROUP BY event_date, event_hour, domain;

CREATE TABLE gold_kpi_5min AS
SELECT window_start, strftime(CAST(window_start AS TIMESTAMP) + INTERVAL 5 MINUTE, '%Y-%m-%d %H:%M:%S.%g') AS window_end,
       count(*) AS total_edits, count(DISTINCT user_name) AS unique_editors,
       count(DISTINCT domain || '|' || title) AS active_pages, sum(is_bot) AS bot_edits,
       count(*) - sum(is_bot) AS human_edits, coalesce(sum(length_delta), 0) AS net_bytes_added,
       round(avg(length_delta)::DOUBLE, 2) AS avg_bytes_per_edit,
       count(*) FILTER (WHERE length_delta > 500) AS large_edits_count, count(*) FILTER (WHERE length_delta < -500) AS revert_like_edits,
       coalesce(sum(abs(length_delta)), 0) AS volatility_score,
       round(100.0::DOUBLE * sum(is_bot) / count(*), 2) AS bot_edit_percentage, count(*) / 5.0::DOUBLE AS edits_per_minute,
       CASE WHEN coalesce(sum(length_delta), 0) > 0.05::DOUBLE * coalesce(sum(abs(length_delta)), 0) THEN 'GROWING'
            WHEN coalesce(sum(length_delta), 0) < -0.05::DOUBLE * coalesce(sum(abs(length_delta)), 0) THEN 'SHRINKING'
            ELSE 'STABLE' END AS knowledge_trend
FROM (SELECT *, event_date || ' ' || lpad(CAST(event_hour AS VARCHAR), 2, '0') || ':' ||
                lpad(CAST(CAST(substr(event_time, 15, 2) AS INTEGER) // 5 * 5 AS VARCHAR), 2, '0') || ':00.000' AS window_start
      FROM silver_events WHERE "type" IN ('edit', 'new'))
GROUP BY window_start;

CREATE TABLE gold_user_risk AS
WITH per_hour AS (
  SELECT event_date, user_name, event_hour, count(*) FILTER (WHERE "type" IN ('edit', 'new')) AS edits
  FROM silver_events WHERE user_name IS NOT NULL GROUP BY ALL
),
per_day AS (
  SELECT event_date, user_name, count(*) AS events, count(*) FILTER (WHERE "type" IN ('edit', 'new')) AS edits,
         count(*) FILTER (WHERE length_delta < -500) AS large_deletions,
         round(1.0::DOUBLE * sum(is_anonymous) / count(*), 4) AS anonymous_share,
         count(DISTINCT domain) AS distinct_domains, max(is_bot) AS is_bot
  FROM silver_events WHERE user_name IS NOT NULL GROUP BY ALL
),
scored AS (
  SELECT d.*, m.max_edits_per_hour,
         (CASE WHEN max_edits_per_hour > 50 THEN 40 ELSE 0 END) + (CASE WHEN large_deletions > 3 THEN 30 ELSE 0 END) +
         (CASE WHEN anonymous_share > 0.5 THEN 20 ELSE 0 END) + (CASE WHEN distinct_domains > 5 THEN 10 ELSE 0 END)
           AS risk_score
  FROM per_day AS d
  JOIN (SELECT event_date, user_name, max(edits) AS max_edits_per_hour FROM per_hour GROUP BY ALL) AS m
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
  FROM silver_events WHERE "type" IN ('edit', 'new') AND title IS NOT NULL
  GROUP BY event_date, event_hour, domain, title)
WHERE rank <= 50;

CREATE TABLE gold_daily_summary AS
WITH risk AS (
  SELECT event_date, count(*) FILTER (WHERE risk_level = 'HIGH') AS high_risk_users, count(*) FILTER (WHERE risk_level = 'MEDIUM') AS medium_risk_users
  FROM gold_user_risk GROUP BY ALL
),
top AS (
  SELECT event_date, first(domain ORDER BY events DESC, domain) AS top_domain
  FROM (SELECT event_date, domain, sum(total_events) AS events FROM gold_hourly_stats GROUP BY ALL) GROUP BY ALL
)
SELECT d.*, coalesce(risk.high_risk_users, 0) AS high_risk_users, coalesce(risk.medium_risk_users, 0) AS medium_risk_users,
       top.top_domain
FROM (SELECT event_date, count(*) AS total_events, count(*) FILTER (WHERE "type" IN ('edit', 'new')) AS total_edits,
             count(DISTINCT user_name) AS unique_users, count(DISTINCT domain || '|' || title) AS unique_pages,
             count(DISTINCT domain) AS active_wikis, round(100.0::DOUBLE * sum(is_bot) / count(*), 2) AS bot_percentage,
             round(100.0::DOUBLE * sum(is_anonymous) / count(*), 2) AS anonymous_percentage,
             coalesce(sum(length_delta), 0) AS net_bytes, count(*) FILTER (WHERE length_delta < -500) AS large_deletions
      FROM silver_events GROUP BY event_date) AS d
LEFT JOIN risk USING (event_date) LEFT JOIN top USING (event_date);

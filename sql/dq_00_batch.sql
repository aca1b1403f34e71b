-- What a rule sees of the batch under check: temp.lh_batch (lo, hi) is its Bronze range, already
-- written to Silver (and, for gold rules, to Gold) inside the savepoint that a blocking failure
-- rolls back. `litehouse dq` checks everything refreshed so far as one batch.

-- The batch's Bronze rows, with the fields Silver read from them (NULL for rows Silver rejected;
-- reject_rule says why) — so no payload is decoded a second time.
DROP VIEW IF EXISTS temp.dq_batch_bronze;
CREATE TEMP VIEW dq_batch_bronze AS
SELECT b.bronze_id, b.event_id, b.source_id, b.event_time, b.ingested_at, b.domain,
       coalesce(b.domain = 'canary', 0) AS is_canary,
       (b.source_id IN (SELECT source_id FROM lh_sources WHERE kind = 'stream')) AS from_stream,
       (b.ingested_at_ms - b.event_time_ms) / 1000.0 AS arrival_latency_s,
       s.wiki, s.type, s.namespace, s.title, s.user_name, r.rule AS reject_rule
FROM bronze_events AS b
LEFT JOIN silver_events AS s ON s.bronze_id = b.bronze_id
LEFT JOIN silver_rejects AS r ON r.bronze_id = b.bronze_id
WHERE b.bronze_id > (SELECT lo FROM temp.lh_batch) AND b.bronze_id <= (SELECT hi FROM temp.lh_batch);

-- The batch's Silver rows, and its Silver rejects.
DROP VIEW IF EXISTS temp.dq_batch;
CREATE TEMP VIEW dq_batch AS
SELECT * FROM silver_events
WHERE bronze_id > (SELECT lo FROM temp.lh_batch) AND bronze_id <= (SELECT hi FROM temp.lh_batch);
DROP VIEW IF EXISTS temp.dq_batch_rejects;
CREATE TEMP VIEW dq_batch_rejects AS
SELECT * FROM silver_rejects
WHERE bronze_id > (SELECT lo FROM temp.lh_batch) AND bronze_id <= (SELECT hi FROM temp.lh_batch);

-- The shipped rules' metrics, computed in one pass over each of the three (as Deequ's analyzers
-- share a scan): one row. A rule of your own may read it or the views above. The event times and
-- the profile_* columns are the exact figures of sql/dq_50_profile.sql, which reads them from
-- here when it profiles this batch's rows (a backfill's batch: its own pass over them took 1.2 s
-- of a 1M refresh, 4.7 s of a 5M one); Silver's counters come from here too
-- (sql/refresh_20_silver_counters.sql).
DROP TABLE IF EXISTS temp.dq_batch_stats;
CREATE TEMP TABLE dq_batch_stats AS
SELECT b.*, s.*, r.*,
       -- (the text of Silver's generated event_time: tests/unit/silver_view_test.cc compares the two)
       strftime('%Y-%m-%d %H:%M:%f', s.oldest_event_time_ms / 1000.0, 'unixepoch') AS oldest_event_time,
       strftime('%Y-%m-%d %H:%M:%f', s.newest_event_time_ms / 1000.0, 'unixepoch') AS newest_event_time
FROM (SELECT count(*)                                              AS bronze_rows,
             sum(coalesce(domain = 'canary', 0))                   AS canaries,
             count(nullif(event_id_coded, ''))                     AS with_event_id,
             count(nullif(domain, ''))                             AS with_domain,
             count(event_time_ms)                                  AS with_event_time,
             count(CASE WHEN source_id IN (SELECT source_id FROM lh_sources WHERE kind = 'stream')
                         AND coalesce(domain <> 'canary', 1) THEN 1 END) AS stream_events
      FROM bronze_events
      WHERE bronze_id > (SELECT lo FROM temp.lh_batch) AND bronze_id <= (SELECT hi FROM temp.lh_batch)) AS b,
     (SELECT count(*)                                              AS silver_rows,
             count(title)                                          AS with_title,
             count(user_name)                                      AS with_user,
             -- (wiki_coded: NULL for the domain's wiki, text for another, 0 for none)
             count(CASE WHEN typeof(wiki_coded) = 'text' OR (wiki_coded IS NULL AND domain_id IN
                          (SELECT domain_id FROM silver_domains WHERE wiki IS NOT NULL)) THEN 1 END) AS with_wiki,
             count(CASE WHEN length_old IS NOT NULL AND length_new IS NOT NULL THEN 1 END) AS with_both_lengths,
             count(CASE WHEN length_old IS NOT NULL AND length_new IS NOT NULL
                         AND length_delta = length_new - length_old THEN 1 END)          AS with_exact_delta,
             count(CASE WHEN domain_id NOT IN (SELECT domain_id FROM silver_domains WHERE domain <> '')
                         OR type NOT IN ('edit', 'new', 'log', 'categorize', 'external')
                         OR namespace < -2 OR length_old < 0 OR length_new < 0
                         OR typeof(event_time_ms) <> 'integer'
                         OR event_time_ms < (julianday('2001-01-15') - 2440587.5) * 86400000
                        THEN 1 END)                                AS invalid_rows,
             min(event_time_ms) AS oldest_event_time_ms, max(event_time_ms) AS newest_event_time_ms,
             count(length_delta) AS profile_delta_n, avg(length_delta) AS profile_delta_mean,
             min(length_delta) AS profile_delta_min, max(length_delta) AS profile_delta_max,
             count(namespace) AS profile_ns_n, lh_approx_distinct(namespace) AS profile_ns_distinct,
             avg(namespace) AS profile_ns_mean, min(namespace) AS profile_ns_min, max(namespace) AS profile_ns_max,
             avg(is_bot) AS profile_bot_mean, avg(is_anonymous) AS profile_anon_mean,
             lh_approx_distinct(user_name) AS profile_user_distinct, lh_approx_distinct(domain_id) AS profile_domain_distinct
      FROM silver_events_stored
      WHERE bronze_id > (SELECT lo FROM temp.lh_batch) AND bronze_id <= (SELECT hi FROM temp.lh_batch)) AS s,
     (SELECT count(*)                                              AS rejects,
             count(CASE WHEN rule = 'valid_type' THEN 1 END)       AS unknown_types,
             count(CASE WHEN rule = 'valid_namespace' THEN 1 END)  AS invalid_namespaces,
             count(CASE WHEN rule = 'valid_length' THEN 1 END)     AS invalid_lengths
      FROM silver_rejects
      WHERE bronze_id > (SELECT lo FROM temp.lh_batch) AND bronze_id <= (SELECT hi FROM temp.lh_batch)) AS r;

-- The Gold rows the batch changed (filled by the caller from the refresh's deltas, or with all
-- of Gold when `litehouse dq` audits everything).
CREATE TEMP TABLE IF NOT EXISTS dq_gold_hours (event_date, event_hour, domain);
CREATE TEMP TABLE IF NOT EXISTS dq_gold_users (event_date, user_name);
CREATE TEMP TABLE IF NOT EXISTS dq_gold_days (event_date);
DROP VIEW IF EXISTS temp.dq_batch_hourly_stats;
CREATE TEMP VIEW dq_batch_hourly_stats AS
SELECT g.* FROM temp.dq_gold_hours AS t
CROSS JOIN gold_hourly_stats AS g
WHERE g.event_date = t.event_date AND g.event_hour = t.event_hour AND g.domain = t.domain;
DROP VIEW IF EXISTS temp.dq_batch_user_risk;
CREATE TEMP VIEW dq_batch_user_risk AS
SELECT g.* FROM temp.dq_gold_users AS t
CROSS JOIN gold_user_risk AS g
WHERE g.event_date = t.event_date AND g.user_name = t.user_name;
DROP VIEW IF EXISTS temp.dq_batch_daily_summary;
CREATE TEMP VIEW dq_batch_daily_summary AS
SELECT g.* FROM temp.dq_gold_days AS t
CROSS JOIN gold_daily_summary AS g
WHERE g.event_date = t.event_date;

-- The check run under way, and the results of its rules so far (gold_upstream_gates reads them).
CREATE TEMP TABLE IF NOT EXISTS dq_run (run_id INTEGER);
CREATE TEMP TABLE IF NOT EXISTS dq_batch_results (layer TEXT, rule TEXT, status TEXT, severity TEXT);
DELETE FROM temp.dq_batch_results;

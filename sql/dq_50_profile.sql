-- A profile of the Silver rows in temp.dq_profile_range (lo, hi], as run temp.dq_run. Null
-- rates, means, minima and maxima are exact; distinct counts are HyperLogLog estimates
-- (lh_approx_distinct, ~1%: count(DISTINCT) would sort every batch); p50 and p95 — and every figure of
-- processing_delay_s, whose two julianday() calls per row would cost more than the rest of the
-- profile — come from a sample of every k-th row (at most ~20,000).

-- Every exact aggregate in one pass: the batch statistics' (sql/dq_00_batch.sql) when the range
-- is the batch under check, else a pass of its own over the range's rows. (SQLite would test a
-- condition naming no column once per row, so the pass is given an empty range instead.)
DROP VIEW IF EXISTS temp.dq_profile_is_batch;
CREATE TEMP VIEW dq_profile_is_batch AS
SELECT coalesce((SELECT r.lo = b.lo AND r.hi = b.hi FROM temp.dq_profile_range AS r, temp.lh_batch AS b), 0) AS yes;
DROP VIEW IF EXISTS temp.dq_profile_rows;
CREATE TEMP VIEW dq_profile_rows AS
SELECT * FROM silver_events_stored
WHERE bronze_id > (SELECT lo FROM temp.dq_profile_range)
  AND bronze_id <= (SELECT CASE WHEN yes THEN lo ELSE hi END FROM temp.dq_profile_range, temp.dq_profile_is_batch);
DROP TABLE IF EXISTS temp.dq_profile_pass;
CREATE TEMP TABLE dq_profile_pass AS
SELECT silver_rows AS n,
       round(silver_rows / max(1.0, (newest_event_time_ms - oldest_event_time_ms) / 60000.0), 3)
         AS per_minute,
       profile_delta_n AS delta_n, profile_delta_mean AS delta_mean, profile_delta_min AS delta_min,
       profile_delta_max AS delta_max,
       profile_ns_n AS ns_n, profile_ns_distinct AS ns_distinct, profile_ns_mean AS ns_mean,
       profile_ns_min AS ns_min, profile_ns_max AS ns_max,
       profile_bot_mean AS bot_mean, profile_anon_mean AS anon_mean,
       with_user AS user_n, profile_user_distinct AS user_distinct,
       with_title AS title_n, profile_domain_distinct AS domain_distinct
FROM temp.dq_batch_stats WHERE (SELECT yes FROM temp.dq_profile_is_batch)
UNION ALL
SELECT count(*) AS n,
       round(count(*) / max(1.0, (max(event_time_ms) - min(event_time_ms)) / 60000.0), 3) AS per_minute,
       count(length_delta) AS delta_n, avg(length_delta) AS delta_mean, min(length_delta) AS delta_min,
       max(length_delta) AS delta_max,
       count(namespace) AS ns_n, lh_approx_distinct(namespace) AS ns_distinct, avg(namespace) AS ns_mean,
       min(namespace) AS ns_min, max(namespace) AS ns_max,
       avg(is_bot) AS bot_mean, avg(is_anonymous) AS anon_mean,
       count(user_name) AS user_n, lh_approx_distinct(user_name) AS user_distinct,
       count(title) AS title_n, lh_approx_distinct(domain_id) AS domain_distinct
FROM temp.dq_profile_rows
HAVING NOT (SELECT yes FROM temp.dq_profile_is_batch);  -- (an aggregate's one row, even of no rows)

-- The sample: the rows whose bronze_id is a multiple of k = n / (lh_state key
-- dq_profile_sample_rows, default 20,000), at least 1 — looked up by rowid, k apart, rather
-- than found by reading every row of the range (0.3 s of a 1M refresh, 2-4 s of a 5M one).
DROP TABLE IF EXISTS temp.dq_profile_sample;
CREATE TEMP TABLE dq_profile_sample AS
WITH RECURSIVE
  step(k, lo, hi) AS (
    SELECT max(1, n / max(1, CAST(coalesce((SELECT value FROM lh_state WHERE key = 'dq_profile_sample_rows'), 20000)
                                  AS INTEGER))),
           (SELECT lo FROM temp.dq_profile_range), (SELECT hi FROM temp.dq_profile_range)
    FROM temp.dq_profile_pass),
  ids(id) AS (
    SELECT (lo / k + 1) * k FROM step
    UNION ALL
    SELECT id + (SELECT k FROM step) FROM ids WHERE id + (SELECT k FROM step) <= (SELECT hi FROM step))
SELECT s.length_delta, s.namespace, s.processing_delay_s
FROM ids CROSS JOIN silver_events AS s
WHERE s.bronze_id = ids.id AND ids.id <= (SELECT hi FROM step);

-- p50 and p95 by nearest rank (the ceil(q * n)-th smallest value) of each sampled column: the
-- values sorted once into ranks (inserted in ORDER BY order into an empty rowid table, each row
-- takes the next rowid: 1, 2, ...), then two rank lookups per column. row_number() OVER
-- (PARTITION BY column ORDER BY x) did the same in 122 ms for a 10K batch's 25K values (the
-- shell), 35 ms this way; DataQuality.ProfileFiguresMatchTheirDefinition checks the figures.
DROP TABLE IF EXISTS temp.dq_profile_sorted;
CREATE TEMP TABLE dq_profile_sorted (rank INTEGER PRIMARY KEY, column_name TEXT NOT NULL, x);
INSERT INTO temp.dq_profile_sorted (column_name, x)
SELECT column_name, x FROM (
  SELECT 'length_delta' AS column_name, length_delta AS x FROM temp.dq_profile_sample WHERE length_delta IS NOT NULL
  UNION ALL SELECT 'namespace', namespace FROM temp.dq_profile_sample WHERE namespace IS NOT NULL
  UNION ALL SELECT 'processing_delay_s', processing_delay_s FROM temp.dq_profile_sample
            WHERE processing_delay_s IS NOT NULL)
ORDER BY column_name, x;

DROP VIEW IF EXISTS temp.dq_profile_quantiles;
CREATE TEMP VIEW dq_profile_quantiles AS
SELECT column_name,
       (SELECT x FROM temp.dq_profile_sorted WHERE rank = first + max(1, CAST(0.50 * n + 0.999999 AS INTEGER)) - 1) AS p50,
       (SELECT x FROM temp.dq_profile_sorted WHERE rank = first + max(1, CAST(0.95 * n + 0.999999 AS INTEGER)) - 1) AS p95
FROM (SELECT column_name, min(rank) AS first, count(*) AS n FROM temp.dq_profile_sorted GROUP BY column_name);

INSERT INTO dq_profile (run_id, profiled_at, batch_from, batch_to, column_name, row_count, null_rate,
                        distinct_count, mean, min, max, p50, p95)
SELECT (SELECT run_id FROM temp.dq_run), strftime('%Y-%m-%d %H:%M:%f', 'now'),
       (SELECT lo FROM temp.dq_profile_range), (SELECT hi FROM temp.dq_profile_range), c.column_name, c.n,
       c.null_rate, c.distinct_count, c.mean, c.min, c.max, q.p50, q.p95
FROM (
  -- '*': the batch; mean is its events per minute of event time covered (at least one minute)
  SELECT '*' AS column_name, n, NULL AS null_rate, NULL AS distinct_count, per_minute AS mean, NULL AS min,
         NULL AS max FROM temp.dq_profile_pass
  UNION ALL SELECT 'length_delta', n, round(1.0 - 1.0 * delta_n / n, 4), NULL, round(delta_mean, 3), delta_min,
                   delta_max FROM temp.dq_profile_pass
  UNION ALL SELECT 'namespace', n, round(1.0 - 1.0 * ns_n / n, 4), ns_distinct, round(ns_mean, 3), ns_min, ns_max
            FROM temp.dq_profile_pass
  UNION ALL SELECT 'processing_delay_s', n, 0, NULL,
                   (SELECT round(avg(processing_delay_s), 3) FROM temp.dq_profile_sample),
                   (SELECT min(processing_delay_s) FROM temp.dq_profile_sample),
                   (SELECT max(processing_delay_s) FROM temp.dq_profile_sample)
            FROM temp.dq_profile_pass
  UNION ALL SELECT 'is_bot', n, 0, NULL, round(bot_mean, 4), NULL, NULL FROM temp.dq_profile_pass
  UNION ALL SELECT 'is_anonymous', n, 0, NULL, round(anon_mean, 4), NULL, NULL FROM temp.dq_profile_pass
  UNION ALL SELECT 'user_name', n, round(1.0 - 1.0 * user_n / n, 4), user_distinct, NULL, NULL, NULL
            FROM temp.dq_profile_pass
  UNION ALL SELECT 'title', n, round(1.0 - 1.0 * title_n / n, 4), NULL, NULL, NULL, NULL FROM temp.dq_profile_pass
  UNION ALL SELECT 'domain', n, 0, domain_distinct, NULL, NULL, NULL FROM temp.dq_profile_pass
) AS c
LEFT JOIN temp.dq_profile_quantiles AS q USING (column_name)
WHERE c.n > 0;

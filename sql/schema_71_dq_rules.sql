-- The shipped rules, calibrated on the real recordings of shared/data (docs/data-quality.md says
-- where and why they differ from the rules of the system litehouse replaces). INSERT OR IGNORE:
-- a rule you changed or disabled stays as you left it.

-- Drift: each profiled metric of the newest profile against the 20 profiles before it. robust_z
-- is its distance from their median in MADs (× 1.4826, the MAD of a normal distribution), with
-- the spread floored at 5% of the median so that a metric that never moved can still be judged.
DROP VIEW IF EXISTS dq_drift;
CREATE VIEW dq_drift AS
WITH latest AS (SELECT max(run_id) AS run_id FROM dq_profile),
history_runs AS (SELECT DISTINCT run_id FROM dq_profile WHERE run_id < (SELECT run_id FROM latest)
                 ORDER BY run_id DESC LIMIT 20),
long AS (
  SELECT run_id, column_name, 'null_rate' AS metric, null_rate AS value FROM dq_profile
  UNION ALL SELECT run_id, column_name, 'mean', mean FROM dq_profile
  UNION ALL SELECT run_id, column_name, 'p50', p50 FROM dq_profile
  UNION ALL SELECT run_id, column_name, 'p95', p95 FROM dq_profile
),
history AS (SELECT * FROM long WHERE run_id IN history_runs AND value IS NOT NULL),
ranked AS (SELECT *, row_number() OVER w AS rn, count(*) OVER (PARTITION BY column_name, metric) AS n
           FROM history WINDOW w AS (PARTITION BY column_name, metric ORDER BY value)),
medians AS (SELECT column_name, metric, avg(value) AS median, max(n) AS n FROM ranked
            WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY column_name, metric),
deviations AS (SELECT h.column_name, h.metric, abs(h.value - m.median) AS value
               FROM history AS h JOIN medians AS m USING (column_name, metric)),
ranked_dev AS (SELECT *, row_number() OVER w AS rn, count(*) OVER (PARTITION BY column_name, metric) AS n
               FROM deviations WINDOW w AS (PARTITION BY column_name, metric ORDER BY value)),
mads AS (SELECT column_name, metric, avg(value) AS mad FROM ranked_dev
         WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY column_name, metric)
SELECT l.run_id, l.column_name, l.metric, l.value, m.median, d.mad, m.n AS history_runs,
       round(abs(l.value - m.median) / max(1.4826 * d.mad, 0.05 * abs(m.median), 1e-9), 2) AS robust_z
FROM long AS l
JOIN medians AS m USING (column_name, metric)
JOIN mads AS d USING (column_name, metric)
WHERE l.run_id = (SELECT run_id FROM latest) AND l.value IS NOT NULL;

INSERT OR IGNORE INTO dq_rules
  (rule_name, layer, metric_sql, comparison, threshold, severity, description, evidence_sql) VALUES
-- Bronze: completeness of identity and time (as shipped by the original: 100%, block).
('bronze_event_id_complete', 'bronze',
 'SELECT 1.0 * with_event_id / nullif(bronze_rows, 0) FROM temp.dq_batch_stats', '>=', 1.0, 'block',
 'every Bronze row has an event_id',
 'SELECT bronze_id, event_id FROM temp.dq_batch_bronze WHERE nullif(event_id, '''') IS NULL'),
('bronze_domain_complete', 'bronze',
 'SELECT 1.0 * with_domain / nullif(bronze_rows, 0) FROM temp.dq_batch_stats', '>=', 1.0, 'block',
 'every Bronze row has a domain (meta.domain or server_name)',
 'SELECT bronze_id, event_id, event_time FROM temp.dq_batch_bronze WHERE nullif(domain, '''') IS NULL'),
('bronze_event_time_complete', 'bronze',
 'SELECT 1.0 * with_event_time / nullif(bronze_rows, 0) FROM temp.dq_batch_stats', '>=', 1.0, 'block',
 'every Bronze row has an event time (meta.dt or timestamp)',
 'SELECT bronze_id, event_id FROM temp.dq_batch_bronze WHERE nullif(event_time, '''') IS NULL'),
-- Bronze: completeness of what analysts group by (≥ 95%, warn), over the batch's valid events
-- (an event Silver rejects is judged by the rule it broke, not counted missing here).
('bronze_title_complete', 'bronze',
 'SELECT 1.0 * with_title / nullif(silver_rows, 0) FROM temp.dq_batch_stats', '>=', 0.95, 'warn',
 'at least 95% of the events have a page title',
 'SELECT bronze_id, event_id, domain, type FROM temp.dq_batch WHERE title IS NULL'),
('bronze_user_complete', 'bronze',
 'SELECT 1.0 * with_user / nullif(silver_rows, 0) FROM temp.dq_batch_stats', '>=', 0.95, 'warn',
 'at least 95% of the events name a user',
 'SELECT bronze_id, event_id, domain, type FROM temp.dq_batch WHERE user_name IS NULL'),
('bronze_wiki_complete', 'bronze',
 'SELECT 1.0 * with_wiki / nullif(silver_rows, 0) FROM temp.dq_batch_stats', '>=', 0.95, 'warn',
 'at least 95% of the events name their wiki',
 'SELECT bronze_id, event_id, domain, type FROM temp.dq_batch WHERE wiki IS NULL'),
-- Bronze: arrival latency of live sources. warn, not block: a late delivery is not bad data
-- (Gold counts by event_time and takes late events), and holding it would only make it later.
('bronze_arrival_latency_p95', 'bronze',
 'SELECT CASE WHEN stream_events > 0 THEN (
    SELECT arrival_latency_s FROM temp.dq_batch_bronze WHERE from_stream AND NOT is_canary
    ORDER BY arrival_latency_s LIMIT 1
    OFFSET (SELECT max(0, CAST(0.95 * stream_events + 0.999999 AS INTEGER) - 1) FROM temp.dq_batch_stats))
  END FROM temp.dq_batch_stats',
 '<=', 60, 'warn',
 'live sources: 95% of the events arrive within 60 s of their event time',
 'SELECT bronze_id, event_id, event_time, ingested_at, arrival_latency_s FROM temp.dq_batch_bronze
  WHERE from_stream AND NOT is_canary AND arrival_latency_s > 60 ORDER BY arrival_latency_s DESC'),
-- Bronze: types and namespaces. Silver routes single odd events to silver_rejects (the
-- recordings hold a Flow event of type "142"); the batch fails when more than 2 events beyond
-- 1% of it are odd — a schema change upstream, not a stray event.
('bronze_type_allowed', 'bronze',
 'SELECT unknown_types - 0.01 * (bronze_rows - canaries) FROM temp.dq_batch_stats', '<=', 2, 'block',
 'events of a type other than edit, new, log, categorize, external: at most 2 beyond 1% of the batch',
 'SELECT r.bronze_id, r.event_id, b.domain, r.reason FROM temp.dq_batch_rejects AS r
  JOIN bronze_events AS b USING (bronze_id) WHERE r.rule = ''valid_type'''),
('bronze_namespace_valid', 'bronze',
 'SELECT invalid_namespaces - 0.01 * (bronze_rows - canaries) FROM temp.dq_batch_stats', '<=', 2, 'block',
 'namespaces ≥ -2 (log events use -1, Special): at most 2 invalid beyond 1% of the batch',
 'SELECT r.bronze_id, r.event_id, b.domain, r.reason FROM temp.dq_batch_rejects AS r
  JOIN bronze_events AS b USING (bronze_id) WHERE r.rule = ''valid_namespace'''),
('bronze_length_valid', 'bronze',
 'SELECT invalid_lengths - 0.01 * (bronze_rows - canaries) FROM temp.dq_batch_stats', '<=', 2, 'block',
 'page lengths are not negative: at most 2 events with an impossible length beyond 1% of the batch',
 'SELECT r.bronze_id, r.event_id, b.domain, r.reason FROM temp.dq_batch_rejects AS r
  JOIN bronze_events AS b USING (bronze_id) WHERE r.rule = ''valid_length'''),
-- Silver.
('silver_length_delta_accurate', 'silver',
 'SELECT 1.0 * with_exact_delta / nullif(with_both_lengths, 0) FROM temp.dq_batch_stats', '>=', 0.99, 'block',
 'length_delta = length_new - length_old on at least 99% of the rows where both are known',
 'SELECT bronze_id, event_id, length_old, length_new, length_delta FROM temp.dq_batch
  WHERE length_old IS NOT NULL AND length_new IS NOT NULL AND length_delta IS NOT length_new - length_old'),
('silver_rows_valid', 'silver',
 'SELECT invalid_rows FROM temp.dq_batch_stats', '=', 0, 'block',
 'every Silver row passes Silver''s validity rules (domain, type, namespace, lengths, time)',
 NULL),
('silver_volume_drop', 'silver',
 'SELECT value / nullif(median, 0) FROM dq_drift
  WHERE run_id = (SELECT run_id FROM temp.dq_run) AND column_name = ''*'' AND metric = ''mean'' AND history_runs >= 5',
 '>=', 0.2, 'warn',
 'events per minute of event time: at least a fifth of the median of the last 20 profiles',
 'SELECT * FROM dq_drift WHERE column_name = ''*'' AND metric = ''mean'''),
('silver_profile_drift', 'silver',
 'SELECT max(robust_z) FROM dq_drift WHERE run_id = (SELECT run_id FROM temp.dq_run) AND history_runs >= 5',
 '<=', 8, 'warn',
 'no profiled metric is more than 8 MADs from its median over the last 20 profiles',
 'SELECT column_name, metric, value, median, mad, robust_z FROM dq_drift
  WHERE run_id = (SELECT run_id FROM temp.dq_run) AND history_runs >= 5 AND robust_z > 8 ORDER BY robust_z DESC'),
-- Freshness: while a live source is connected, the newest event is at most 10 minutes old.
('silver_freshness', 'silver',
 'SELECT round((julianday(''now'') - julianday(newest_event_time)) * 86400.0, 1) FROM lh_layer_state
  WHERE layer = ''silver'' AND EXISTS (SELECT 1 FROM lh_stream_state WHERE connected)', '<=', 600, 'warn',
 'while a live source is connected, Silver''s newest event is at most 600 s old',
 NULL),
-- Gold.
('gold_upstream_gates', 'gold',
 'SELECT count(*) FROM temp.dq_batch_results WHERE layer IN (''bronze'', ''silver'')
  AND status IN (''FAIL'', ''ERROR'') AND severity = ''block''', '=', 0, 'block',
 'no blocking Bronze or Silver rule failed for this batch',
 'SELECT layer, rule, status FROM temp.dq_batch_results WHERE status IN (''FAIL'', ''ERROR'')'),
('gold_percentages_in_range', 'gold',
 'SELECT (SELECT count(*) FROM temp.dq_batch_hourly_stats WHERE bot_percentage NOT BETWEEN 0 AND 100)
       + (SELECT count(*) FROM temp.dq_batch_daily_summary
          WHERE bot_percentage NOT BETWEEN 0 AND 100 OR anonymous_percentage NOT BETWEEN 0 AND 100)',
 '=', 0, 'block', 'bot and anonymous percentages of the changed Gold rows lie within 0-100',
 'SELECT event_date, event_hour, domain, bot_percentage FROM temp.dq_batch_hourly_stats
  WHERE bot_percentage NOT BETWEEN 0 AND 100'),
('gold_risk_score_in_range', 'gold',
 'SELECT count(*) FROM temp.dq_batch_user_risk WHERE risk_score NOT BETWEEN 0 AND 100
  OR anonymous_share NOT BETWEEN 0 AND 1', '=', 0, 'block',
 'risk_score of the changed users lies within 0-100 and anonymous_share within 0-1',
 'SELECT event_date, user_name, risk_score, anonymous_share FROM temp.dq_batch_user_risk
  WHERE risk_score NOT BETWEEN 0 AND 100 OR anonymous_share NOT BETWEEN 0 AND 1');

-- Whole-table checks, run by audits (`litehouse dq`, lh_dq_run()), where temp.dq_batch is all of
-- Silver — as dbt runs `unique` and `accepted_values` over tables. Per batch, uniqueness holds by
-- construction (Bronze's event_id is UNIQUE and a Silver row keeps its Bronze row's id) and the
-- values come from Silver's own CASEs; proving it again costs ~4 s and ~0.5 s per 1M-row batch.
INSERT OR IGNORE INTO dq_rules
  (rule_name, layer, metric_sql, comparison, threshold, severity, description, evidence_sql, run_on) VALUES
('silver_event_id_unique', 'silver',
 'SELECT count(*) - count(DISTINCT event_id) FROM temp.dq_batch', '=', 0, 'block',
 'event_id is unique in Silver',
 'SELECT event_id, count(*) AS copies FROM temp.dq_batch GROUP BY event_id HAVING count(*) > 1', 'audit'),
('silver_accepted_values', 'silver',
 'SELECT count(*) FROM temp.dq_batch
  WHERE user_type NOT IN (''BOT'', ''ANONYMOUS'', ''TEMPORARY'', ''REGISTERED'')
     OR region NOT IN (''asia_pacific'', ''europe'', ''americas'', ''middle_east'', ''africa'', ''global'', ''other'')',
 '=', 0, 'warn', 'user_type and region take only their documented values',
 'SELECT bronze_id, event_id, user_type, region FROM temp.dq_batch
  WHERE user_type NOT IN (''BOT'', ''ANONYMOUS'', ''TEMPORARY'', ''REGISTERED'')
     OR region NOT IN (''asia_pacific'', ''europe'', ''americas'', ''middle_east'', ''africa'', ''global'', ''other'')',
 'audit');

-- Data quality: rules are SQL. (../shared/spec/medallion.md, "Data quality"; docs/data-quality.md)
--
-- Each refresh is a batch: the Bronze rows it takes (bronze_id in (batch_from, batch_to]). The
-- batch is written to Silver and Gold inside a savepoint, the rules are run against it (write,
-- audit, publish), and a failing `block` rule rolls the batch back: its rows stay in Bronze, the
-- batch is listed in dq_held_batches, and it is checked again once the rules or Bronze change.

-- A rule: metric_sql yields one number, compared with threshold. It may read the batch through
-- the temp views of sql/dq_00_batch.sql (dq_batch_bronze, dq_batch, dq_batch_rejects,
-- dq_batch_stats, dq_batch_hourly_stats, dq_batch_user_risk, dq_batch_daily_summary) or any table.
-- A NULL metric (nothing to measure, e.g. no live rows) passes. evidence_sql, when given, lists
-- the rows to blame; the first few are kept with a FAIL or WARN.
CREATE TABLE IF NOT EXISTS dq_rules (
  rule_name    TEXT PRIMARY KEY,
  layer        TEXT NOT NULL CHECK (layer IN ('bronze', 'silver', 'gold')),
  metric_sql   TEXT NOT NULL,
  comparison   TEXT NOT NULL CHECK (comparison IN ('>=', '<=', '>', '<', '=', '<>')),
  threshold    REAL NOT NULL,
  severity     TEXT NOT NULL CHECK (severity IN ('block', 'warn')),
  description  TEXT NOT NULL DEFAULT '',
  evidence_sql TEXT,
  enabled      INTEGER NOT NULL DEFAULT 1,
  -- 'batch': checks every refresh's batch (and audits); 'audit': only `litehouse dq` and
  -- lh_dq_run(), where the batch is everything — for whole-table checks too costly per refresh.
  run_on       TEXT NOT NULL DEFAULT 'batch' CHECK (run_on IN ('batch', 'audit'))
);

-- One row per rule checked — except that a rule that keeps passing (or keeps warning) on
-- consecutive batches extends its row (batch_to, metric, evidence and checked_at of the latest;
-- duration_ms summed), so a live stream refreshed four times a second does not add 80 rows a
-- second. metric NULL with status ERROR: the rule's SQL failed (the message is in evidence).
CREATE TABLE IF NOT EXISTS dq_results (
  result_id INTEGER PRIMARY KEY, run_id INTEGER, layer TEXT, rule TEXT, batch_from INTEGER, batch_to INTEGER,
  status TEXT, metric REAL, threshold REAL, evidence TEXT, checked_at TEXT, duration_ms REAL
);
CREATE INDEX IF NOT EXISTS dq_results_by_run ON dq_results (run_id);
CREATE INDEX IF NOT EXISTS dq_results_by_rule ON dq_results (rule, result_id);

-- Checks per day (UTC, by when they ran), PASS/WARN and FAIL/ERROR: what gold_daily_summary's
-- dq_checks_passed and dq_checks_failed show. Counted as checks are recorded, merged or not.
CREATE TABLE IF NOT EXISTS lh_dq_days (
  day TEXT PRIMARY KEY, passed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Batches a blocking rule holds in Bronze. Deleted when the batch is promoted (its PASS results
-- in dq_results say when). checked_version: lh_state's dq_version when last checked.
CREATE TABLE IF NOT EXISTS dq_held_batches (
  batch_from      INTEGER PRIMARY KEY,     -- exclusive bronze_id
  batch_to        INTEGER NOT NULL,        -- inclusive bronze_id
  bronze_rows     INTEGER NOT NULL,
  layer           TEXT NOT NULL,           -- where the first blocking failure was found
  rule            TEXT NOT NULL,
  run_id          INTEGER NOT NULL,        -- the latest check (dq_results.run_id)
  held_at         TEXT NOT NULL,
  last_checked_at TEXT NOT NULL,
  checks          INTEGER NOT NULL DEFAULT 1,
  checked_version INTEGER NOT NULL
);

-- Every FAIL and ERROR (and WARN when asked) raises an alert; sinks (--alert-command,
-- --alert-webhook) receive `payload` and mark it delivered.
CREATE TABLE IF NOT EXISTS dq_alerts (
  alert_id       INTEGER PRIMARY KEY,
  result_id      INTEGER NOT NULL,         -- dq_results.result_id
  raised_at      TEXT NOT NULL,
  payload        TEXT NOT NULL,            -- JSON: rule, layer, status, severity, metric, ...
  delivered_at   TEXT,
  attempts       INTEGER NOT NULL DEFAULT 0,
  delivery_error TEXT
);
CREATE INDEX IF NOT EXISTS dq_alerts_pending ON dq_alerts (alert_id) WHERE delivered_at IS NULL;

-- Per profiled batch and Silver column. Numeric columns get mean/min/max/p50/p95 (the
-- quantiles over a sample of at most ~20,000 rows); '*' holds the batch's rows and, as mean,
-- its events per minute of event time.
CREATE TABLE IF NOT EXISTS dq_profile (
  run_id         INTEGER NOT NULL,
  profiled_at    TEXT NOT NULL,
  batch_from     INTEGER NOT NULL,
  batch_to       INTEGER NOT NULL,
  column_name    TEXT NOT NULL,
  row_count      INTEGER NOT NULL,
  null_rate      REAL,
  distinct_count INTEGER,
  mean REAL, min REAL, max REAL, p50 REAL, p95 REAL,
  PRIMARY KEY (run_id, column_name)
) WITHOUT ROWID;

-- A held batch is checked again when this moves: rules changed, or Bronze repaired.
INSERT OR IGNORE INTO lh_state (key, value) VALUES ('dq_version', 1);
INSERT OR IGNORE INTO lh_state (key, value) VALUES ('dq_run', 0);
CREATE TRIGGER IF NOT EXISTS dq_rules_changed_i AFTER INSERT ON dq_rules
  BEGIN UPDATE lh_state SET value = value + 1 WHERE key = 'dq_version'; END;
CREATE TRIGGER IF NOT EXISTS dq_rules_changed_u AFTER UPDATE ON dq_rules
  BEGIN UPDATE lh_state SET value = value + 1 WHERE key = 'dq_version'; END;
CREATE TRIGGER IF NOT EXISTS dq_rules_changed_d AFTER DELETE ON dq_rules
  BEGIN UPDATE lh_state SET value = value + 1 WHERE key = 'dq_version'; END;
CREATE TRIGGER IF NOT EXISTS dq_bronze_repaired_u AFTER UPDATE ON bronze_events
  BEGIN UPDATE lh_state SET value = value + 1 WHERE key = 'dq_version'; END;
CREATE TRIGGER IF NOT EXISTS dq_bronze_repaired_d AFTER DELETE ON bronze_events
  BEGIN UPDATE lh_state SET value = value + 1 WHERE key = 'dq_version'; END;

// Data quality: runs dq_rules (SQL) against a batch, records dq_results and dq_alerts, profiles
// Silver, and audits everything (RunQualityChecks).
#include "engine/dq.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine/json_writer.h"
#include "engine/sql_scripts.h"
#include "engine/sqlite_util.h"
#include "litehouse/pipeline.h"

namespace litehouse {
namespace internal {
namespace {

// Failing rows kept as evidence, and how many are counted at most.
constexpr int kEvidenceSamples = 5;
constexpr int64_t kEvidenceCountLimit = 1000000;
// A rule's SQL is stopped (an ERROR) after this long — lh_state key 'dq_rule_time_limit_s'
// changes it: a runaway query must not stall the pipeline.
constexpr double kDefaultRuleTimeLimitS = 60;

// Interrupts the statements of one rule once its time is up (sqlite3_progress_handler).
class RuleDeadline {
 public:
  RuleDeadline(sqlite3* db, double limit_s)
      : db_(db),
        until_(std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(limit_s))) {
    sqlite3_progress_handler(db_, 10000, &RuleDeadline::Check, this);
  }
  ~RuleDeadline() { sqlite3_progress_handler(db_, 0, nullptr, nullptr); }
  RuleDeadline(const RuleDeadline&) = delete;
  RuleDeadline& operator=(const RuleDeadline&) = delete;
  bool expired() const { return expired_; }

 private:
  static int Check(void* self) {
    auto* d = static_cast<RuleDeadline*>(self);
    d->expired_ = std::chrono::steady_clock::now() > d->until_;
    return d->expired_ ? 1 : 0;
  }
  sqlite3* db_;
  std::chrono::steady_clock::time_point until_;
  bool expired_ = false;
};

std::string JsonNumber(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// For messages: 0.2, not 0.20000000000000001.
std::string ShortNumber(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A column of the current row as a JSON value.
std::string JsonColumn(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT: return JsonNumber(sqlite3_column_double(stmt, i));
    case SQLITE_NULL: return "null";
    case SQLITE_BLOB: return JsonString("<blob of " + std::to_string(sqlite3_column_bytes(stmt, i)) + " bytes>");
    default: {
      const unsigned char* t = sqlite3_column_text(stmt, i);
      return JsonString(std::string_view(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt, i)));
    }
  }
}

// Prepares a rule's SQL: exactly one read-only statement (a rule reads; it never writes).
Status PrepareRuleSql(sqlite3* db, const std::string& sql, Stmt* stmt) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail) != SQLITE_OK) {
    return Status::SqlError(sqlite3_errmsg(db));
  }
  Stmt owned;
  owned.Adopt(raw);
  if (raw == nullptr) return Status::InvalidArgument("the SQL is empty");
  for (; tail && *tail; ++tail) {
    if (*tail != ';' && !std::isspace(static_cast<unsigned char>(*tail))) {
      return Status::InvalidArgument("the SQL holds more than one statement");
    }
  }
  if (!sqlite3_stmt_readonly(raw)) return Status::InvalidArgument("the SQL must only read (a SELECT)");
  *stmt = std::move(owned);
  return Status::Ok();
}

bool Compare(double metric, const std::string& op, double threshold) {
  if (op == ">=") return metric >= threshold;
  if (op == "<=") return metric <= threshold;
  if (op == ">") return metric > threshold;
  if (op == "<") return metric < threshold;
  if (op == "=") return metric == threshold;
  return metric != threshold;  // "<>" (dq_rules' CHECK allows nothing else)
}

// {"failing_rows": N, "samples": [{...}, ...]} from a rule's evidence_sql, or {"evidence_error": ...}.
std::string CollectEvidence(sqlite3* db, const std::string& sql) {
  Stmt stmt;
  Status s = PrepareRuleSql(db, sql, &stmt);
  if (!s.ok()) return "\"evidence_error\":" + JsonString(s.message());
  std::string samples;
  int64_t rows = 0;
  int rc;
  while (rows < kEvidenceCountLimit && (rc = stmt.Step()) == SQLITE_ROW) {
    if (rows < kEvidenceSamples) {
      samples += samples.empty() ? "{" : ",{";
      for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
        if (i) samples += ",";
        samples += JsonString(sqlite3_column_name(stmt.get(), i)) + ":" + JsonColumn(stmt.get(), i);
      }
      samples += "}";
    }
    ++rows;
  }
  if (rows < kEvidenceCountLimit && rc != SQLITE_DONE) return "\"evidence_error\":" + JsonString(sqlite3_errmsg(db));
  return "\"failing_rows\":" + std::to_string(rows) + (rows == kEvidenceCountLimit ? ",\"failing_rows_capped\":true" : "") +
         ",\"samples\":[" + samples + "]";
}

}  // namespace

Status EvaluateRules(sqlite3* db, const std::string& layer, bool audit, std::vector<DqCheck>* checks) {
  Stmt rules;
  Status s = rules.Prepare(db,
                           "SELECT rule_name, metric_sql, comparison, threshold, severity, description, evidence_sql "
                           "FROM dq_rules WHERE enabled AND layer = ? AND (run_on = 'batch' OR ?) ORDER BY rule_name");
  if (!s.ok()) return s;
  Stmt note;
  s = note.Prepare(db, "INSERT INTO temp.dq_batch_results (layer, rule, status, severity) VALUES (?, ?, ?, ?)");
  if (!s.ok()) return s;
  double limit_s = kDefaultRuleTimeLimitS;
  {
    Stmt limit;
    s = limit.Prepare(db, "SELECT value FROM lh_state WHERE key = 'dq_rule_time_limit_s'");
    if (!s.ok()) return s;
    if (limit.Step() == SQLITE_ROW && sqlite3_column_double(limit.get(), 0) > 0) {
      limit_s = sqlite3_column_double(limit.get(), 0);
    }
  }
  rules.BindText(1, layer);
  rules.BindInt(2, audit);
  int rc;
  while ((rc = rules.Step()) == SQLITE_ROW) {
    const auto started = std::chrono::steady_clock::now();
    DqCheck c;
    c.layer = layer;
    c.rule = rules.ColumnText(0);
    const std::string metric_sql = rules.ColumnText(1);
    c.comparison = rules.ColumnText(2);
    c.threshold = sqlite3_column_double(rules.get(), 3);
    c.severity = rules.ColumnText(4);
    const std::string description = rules.ColumnText(5);
    const bool has_evidence = sqlite3_column_type(rules.get(), 6) != SQLITE_NULL;
    const std::string evidence_sql = rules.ColumnText(6);

    std::string error;
    RuleDeadline deadline(db, limit_s);
    Stmt metric;
    Status ms = PrepareRuleSql(db, metric_sql, &metric);
    if (!ms.ok()) {
      error = ms.message();
    } else {
      int mrc = metric.Step();
      if (mrc == SQLITE_ROW) {
        int type = sqlite3_column_type(metric.get(), 0);
        if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
          c.metric = sqlite3_column_double(metric.get(), 0);
        } else if (type != SQLITE_NULL) {
          error = "the metric is not a number: " + metric.ColumnText(0);
        }
      } else if (mrc != SQLITE_DONE) {
        error = deadline.expired() ? "the rule's SQL ran longer than " + ShortNumber(limit_s) + " s"
                                   : std::string(sqlite3_errmsg(db));
      }
    }
    std::string evidence = "{\"comparison\":" + JsonString(c.comparison) + ",\"severity\":" + JsonString(c.severity) +
                           ",\"description\":" + JsonString(description);
    if (!error.empty()) {
      c.status = "ERROR";
      evidence += ",\"error\":" + JsonString(error);
    } else if (!c.metric || Compare(*c.metric, c.comparison, c.threshold)) {
      c.status = "PASS";  // a NULL metric: nothing to measure in this batch
      if (!c.metric) evidence += ",\"note\":\"nothing to measure\"";
    } else {
      c.status = c.severity == "block" ? "FAIL" : "WARN";
      if (has_evidence) evidence += "," + CollectEvidence(db, evidence_sql);
    }
    c.evidence = evidence + "}";
    c.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    note.BindText(1, c.layer);
    note.BindText(2, c.rule);
    note.BindText(3, c.status);
    note.BindText(4, c.severity);
    if (note.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
    note.Reset();
    checks->push_back(std::move(c));
  }
  if (rc != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
  return Status::Ok();
}

Status NextDqRun(sqlite3* db, int64_t* run_id) {
  Status s = Exec(db, "UPDATE lh_state SET value = value + 1 WHERE key = 'dq_run'");
  if (s.ok()) s = QueryInt(db, "SELECT value FROM lh_state WHERE key = 'dq_run'", run_id);
  if (s.ok()) s = Exec(db, "DELETE FROM temp.dq_run; INSERT INTO temp.dq_run VALUES (" + std::to_string(*run_id) + ")");
  return s;
}

Status RecordChecks(sqlite3* db, int64_t run_id, int64_t batch_from, int64_t batch_to,
                    const std::vector<DqCheck>& checks, QualitySummary* summary) {
  int64_t alert_on_warn = 0;
  Status s = QueryInt(db, "SELECT coalesce((SELECT value FROM lh_state WHERE key = 'dq_alert_on_warn'), 0)",
                      &alert_on_warn);
  if (!s.ok()) return s;
  Stmt last, extend, insert, alert, count_day;
  s = last.Prepare(db, "SELECT result_id, status, batch_to FROM dq_results WHERE rule = ? ORDER BY result_id DESC LIMIT 1");
  if (s.ok()) {
    s = extend.Prepare(db,
                       "UPDATE dq_results SET run_id = ?, batch_to = ?, metric = ?, threshold = ?, evidence = ?, "
                       "checked_at = strftime('%Y-%m-%d %H:%M:%f', 'now'), duration_ms = duration_ms + ? "
                       "WHERE result_id = ?");
  }
  if (s.ok()) {
    s = insert.Prepare(db,
                       "INSERT INTO dq_results (run_id, layer, rule, batch_from, batch_to, status, metric, threshold, "
                       "evidence, checked_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "strftime('%Y-%m-%d %H:%M:%f', 'now'), ?)");
  }
  if (s.ok()) {
    s = alert.Prepare(db,
                      "INSERT INTO dq_alerts (result_id, raised_at, payload) "
                      "SELECT result_id, checked_at, json_object('alert', 'litehouse data quality', "
                      "'database', (SELECT file FROM pragma_database_list WHERE name = 'main'), "
                      "'run_id', run_id, 'rule', rule, 'layer', layer, 'status', status, "
                      "'severity', json_extract(evidence, '$.severity'), 'metric', metric, "
                      "'comparison', json_extract(evidence, '$.comparison'), 'threshold', threshold, "
                      "'batch_from', batch_from, 'batch_to', batch_to, 'checked_at', checked_at, "
                      "'evidence', json(evidence)) FROM dq_results WHERE result_id = ?");
  }
  if (!s.ok()) return s;
  auto bind_metric = [](Stmt* st, int i, const DqCheck& c) {
    if (c.metric) {
      sqlite3_bind_double(st->get(), i, *c.metric);
    } else {
      st->BindNull(i);
    }
  };
  int64_t passed = 0, failed = 0;
  for (const DqCheck& c : checks) {
    // A PASS or WARN that continues the rule's latest result on the batch just before extends it.
    last.BindText(1, c.rule);
    int64_t continued = 0;
    bool repeated = false;  // the rule's latest result had this status: its alert went out then
    if (last.Step() == SQLITE_ROW && last.ColumnText(1) == c.status) {
      repeated = true;
      if (last.ColumnInt(2) == batch_from && (c.status == "PASS" || c.status == "WARN")) continued = last.ColumnInt(0);
    }
    last.Reset();
    if (continued) {
      extend.BindInt(1, run_id);
      extend.BindInt(2, batch_to);
      bind_metric(&extend, 3, c);
      sqlite3_bind_double(extend.get(), 4, c.threshold);
      extend.BindText(5, c.evidence);
      sqlite3_bind_double(extend.get(), 6, c.duration_ms);
      extend.BindInt(7, continued);
      if (extend.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
      extend.Reset();
    } else {
      insert.BindInt(1, run_id);
      insert.BindText(2, c.layer);
      insert.BindText(3, c.rule);
      insert.BindInt(4, batch_from);
      insert.BindInt(5, batch_to);
      insert.BindText(6, c.status);
      bind_metric(&insert, 7, c);
      sqlite3_bind_double(insert.get(), 8, c.threshold);
      insert.BindText(9, c.evidence);
      sqlite3_bind_double(insert.get(), 10, c.duration_ms);
      if (insert.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
      insert.Reset();
    }
    const int64_t result_id = continued ? continued : sqlite3_last_insert_rowid(db);

    if (c.status == "PASS" || c.status == "WARN") ++passed; else ++failed;
    if (c.status == "PASS") {
      ++summary->passed;
      continue;
    }
    if (c.status == "WARN") ++summary->warned;
    if (c.status == "FAIL") ++summary->failed;
    if (c.status == "ERROR") ++summary->errors;
    std::string line = c.status + " " + c.rule + " (" + c.layer + ", " + c.severity + "): ";
    if (c.metric) {
      line += "metric " + JsonNumber(*c.metric) + ", expected " + c.comparison + " " + JsonNumber(c.threshold);
    } else {
      line += "the rule's SQL failed";
    }
    line += "; batch " + std::to_string(batch_from) + ".." + std::to_string(batch_to) + ", run " +
            std::to_string(run_id);
    summary->lines.push_back(std::move(line));
    // A streak of one status alerts once, when it starts: a broken rule holding every batch of a
    // live stream must not send four alerts a second (dq_held_batches lists every batch).
    if ((c.status != "WARN" || alert_on_warn) && !repeated) {
      alert.BindInt(1, result_id);
      if (alert.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
      alert.Reset();
    }
  }
  // Today's counts, and Gold's daily summary of today when it has a row.
  const std::string p = std::to_string(passed), f = std::to_string(failed);
  s = Exec(db, "INSERT INTO lh_dq_days (day, passed, failed) VALUES (date('now'), " + p + ", " + f +
                   ") ON CONFLICT (day) DO UPDATE SET passed = passed + " + p + ", failed = failed + " + f);
  if (s.ok()) {
    s = Exec(db, "UPDATE gold_daily_summary SET dq_checks_passed = dq_checks_passed + " + p +
                     ", dq_checks_failed = dq_checks_failed + " + f + " WHERE event_date = date('now')");
  }
  return s;
}

Status ProfileSilver(sqlite3* db, int64_t run_id, int64_t lo, int64_t hi) {
  Status s = Exec(db, "CREATE TEMP TABLE IF NOT EXISTS dq_profile_range (lo INTEGER, hi INTEGER); "
                      "DELETE FROM temp.dq_profile_range; INSERT INTO temp.dq_profile_range VALUES (" +
                          std::to_string(lo) + ", " + std::to_string(hi) + ")");
  if (s.ok()) s = Exec(db, "DELETE FROM temp.dq_run; INSERT INTO temp.dq_run VALUES (" + std::to_string(run_id) + ")");
  if (s.ok()) s = RunScripts(db, "dq_50");
  return s;
}

}  // namespace internal

std::string QualitySummary::ToJson() const {
  return internal::JsonObjectWriter()
      .Add("run_id", static_cast<uint64_t>(run_id))
      .Add("passed", passed)
      .Add("warned", warned)
      .Add("failed", failed)
      .Add("errors", errors)
      .Add("held_batches", held_batches)
      .Finish();
}

Status RunQualityChecks(sqlite3* db, QualitySummary* summary) {
  using namespace internal;
  *summary = QualitySummary();
  Status s = EnsureSchema(db);
  if (!s.ok()) return s;
  Transaction txn(db);
  s = txn.Begin();
  if (!s.ok()) return s;
  int64_t hi = 0;
  s = QueryInt(db, "SELECT value FROM lh_state WHERE key = 'silver_watermark'", &hi);
  if (s.ok()) s = RunScripts(db, "refresh_00");  // temp.lh_batch
  if (s.ok()) s = Exec(db, "DELETE FROM temp.lh_batch; INSERT INTO temp.lh_batch VALUES (0, " + std::to_string(hi) + ", 0)");
  if (s.ok()) s = RunScripts(db, "dq_00");
  if (s.ok()) s = RunScripts(db, "dq_21");  // Gold rules see all of Gold
  int64_t run_id = 0;
  if (s.ok()) s = NextDqRun(db, &run_id);
  if (!s.ok()) return s;
  summary->run_id = run_id;
  std::vector<DqCheck> checks;
  for (const char* layer : {"bronze", "silver", "gold"}) {
    s = EvaluateRules(db, layer, /*audit=*/true, &checks);
    if (!s.ok()) return s;
  }
  s = RecordChecks(db, run_id, 0, hi, checks, summary);
  int64_t held = 0;
  if (s.ok()) s = QueryInt(db, "SELECT count(*) FROM dq_held_batches", &held);
  if (!s.ok()) return s;
  summary->held_batches = static_cast<uint64_t>(held);
  return txn.Commit();
}

}  // namespace litehouse

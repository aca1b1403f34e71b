// The rule runner shared by Refresh (which gates each batch) and RunQualityChecks (audits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/sqlite_api.h"
#include "litehouse/quality.h"
#include "litehouse/status.h"

namespace litehouse::internal {

struct DqCheck {
  std::string layer, rule, severity, comparison, status;  // status: PASS WARN FAIL ERROR
  std::optional<double> metric;
  double threshold = 0;
  std::string evidence;  // JSON
  double duration_ms = 0;
  bool Blocks() const { return severity == "block" && (status == "FAIL" || status == "ERROR"); }
};

// Runs the enabled rules of `layer` against the batch the temp views of sql/dq_00_batch.sql
// describe (they must exist); an audit also runs the rules marked run_on = 'audit'. A rule's SQL
// error becomes an ERROR check, never a Status error; a Status error means the database failed.
Status EvaluateRules(sqlite3* db, const std::string& layer, bool audit, std::vector<DqCheck>* checks);

// A new run id (lh_state 'dq_run'), also set in temp.dq_run for the rules.
Status NextDqRun(sqlite3* db, int64_t* run_id);

// Writes the checks to dq_results and raises dq_alerts for FAIL and ERROR (and WARN when
// lh_state 'dq_alert_on_warn' is 1); adds them to `summary`.
Status RecordChecks(sqlite3* db, int64_t run_id, int64_t batch_from, int64_t batch_to,
                    const std::vector<DqCheck>& checks, QualitySummary* summary);

// Profiles the Silver rows in (lo, hi] as run `run_id` (sql/dq_50_profile.sql).
Status ProfileSilver(sqlite3* db, int64_t run_id, int64_t lo, int64_t hi);

}  // namespace litehouse::internal

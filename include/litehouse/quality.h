// Data quality: rules written in SQL (dq_rules), checked against every refresh's batch and by
// audits; results in dq_results, alerts in dq_alerts, profiles in dq_profile. The refresh side
// (gates that hold a batch in Bronze) lives in Refresh (pipeline.h); docs/data-quality.md
// explains the whole.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "litehouse/status.h"

struct sqlite3;

namespace litehouse {

// What one check run found.
struct QualitySummary {
  int64_t run_id = 0;
  uint64_t passed = 0, warned = 0, failed = 0, errors = 0;
  uint64_t held_batches = 0;  // batches held in Bronze right now (dq_held_batches)
  // One line per FAIL, ERROR and WARN: "FAIL bronze_type_allowed (bronze, block): 7 <= 2 ...".
  std::vector<std::string> lines;
  std::string ToJson() const;
};

// Audits everything refreshed so far as one batch: every enabled rule of every layer runs over
// all of Bronze, Silver and Gold. Records dq_results and dq_alerts; holds nothing.
Status RunQualityChecks(sqlite3* db, QualitySummary* summary);

}  // namespace litehouse

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

// Where alerts go besides dq_alerts. A command (run by /bin/sh) receives each alert's JSON on
// standard input and must exit 0; a webhook receives it as an HTTP POST (application/json) and
// must answer 2xx. Each is tried `attempts` times with doubling delays.
struct AlertSinks {
  std::string command;
  std::string webhook_url;
  int attempts = 3;
  double retry_delay_s = 0.5;
  double timeout_s = 5;  // per webhook request
  bool empty() const { return command.empty() && webhook_url.empty(); }
};

// Sends the alerts not yet delivered, oldest first, to every configured sink, and marks each
// delivered — or counts the attempt and records the error, so the next round tries it again
// (delivery is at least once: a sink that took it may get it again when another one failed).
// Sends nothing when no sink is configured. `delivered` and `failed` may be null.
Status DeliverAlerts(sqlite3* db, const AlertSinks& sinks, uint64_t* delivered, uint64_t* failed);

}  // namespace litehouse

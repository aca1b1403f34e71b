// Paths of the real recordings (shared/data), for tests.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace litehouse::testing {

inline std::string DataDir() {
  const char* d = std::getenv("LITEHOUSE_DATA");
  return d ? d : "../shared/data";
}

inline std::string RecentChange(const std::string& relative) { return DataDir() + "/recentchange/" + relative; }

// Every recentchange recording that holds events (the SSE transcripts are tested separately).
inline std::vector<std::string> AllRecordings() {
  std::vector<std::string> files;
  for (const char* f : {"yearfunla-wikiMedia_stream_monitor/recentchange_raw.json",
                        "yearfunla-wikiMedia_stream_monitor/recentchange.json",
                        "yearfunla-wikiMedia_stream_monitor/test.json", "electricsql-rag/output.json",
                        "sat99496-wikistream-lakehouse/recentchanges_sample.jsonl",
                        "amommendes-wikimedia_stream/message.json", "amommendes-wikimedia_stream/app_message.json",
                        "wikidata-editgroups/batches_to_inspect.json", "wikidata-editgroups/eg_revert.json",
                        "wikidata-editgroups/new_deletion_restore_deletion.json", "wikidata-editgroups/one_qs_batch.json",
                        "wikidata-editgroups/qs_batch_with_new_items.json",
                        "wikidata-editgroups/qs_batch_with_reverts.json"}) {
    files.push_back(RecentChange(f));
  }
  return files;
}

// SQL for 20,000 rows (value, ms): times in milliseconds spread over years 0000-9999, a fifth of
// them before 1970 — for checking a spelling of stored milliseconds against SQLite's own.
inline const char* kSweepTimesSql =
    "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 20000) "
    "SELECT value, -62167219200000 + (value * 7919 * 1000003 + value * value * 13) % 315569520000000 AS ms FROM n";

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace litehouse::testing

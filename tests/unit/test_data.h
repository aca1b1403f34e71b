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

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace litehouse::testing

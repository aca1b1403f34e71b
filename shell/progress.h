// A progress bar for ingestion on a terminal; plain log lines otherwise.
#pragma once

#include <cstdio>
#include <string>

#include "litehouse/pipeline.h"

namespace litehouse::shell {

class ProgressReporter {
 public:
  ProgressReporter(FILE* out, std::string label, bool terminal) : out_(out), label_(std::move(label)), terminal_(terminal) {}
  void Update(const IngestProgress& p);
  void Finish();

 private:
  FILE* out_;
  std::string label_;
  bool terminal_;
  double last_log_ = -1;
  bool drew_ = false;
};

// "1.5 MB", "12.0 GB"
std::string HumanBytes(double bytes);

}  // namespace litehouse::shell

// Shell: runs SQL and dot commands against one litehouse database, for the interactive
// `litehouse` program and its one-shot modes.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "litehouse/database.h"
#include "litehouse/quality.h"
#include "shell/live_session.h"
#include "shell/output_format.h"

namespace litehouse::shell {

class Shell {
 public:
  Shell(std::unique_ptr<Database> db, OutputMode mode, bool headers);

  // Runs SQL text (any number of statements). Errors are printed as one line on stderr;
  // returns false if any statement failed.
  bool RunSql(const std::string& sql);
  // Runs one dot command line (".tables", ".mode csv", ...). Sets *quit for .quit/.exit.
  bool RunDotCommand(const std::string& line, bool* quit);
  // Reads statements and dot commands from a stream until its end. With a LineEditor-driven
  // terminal loop when `interactive`. Returns false if anything failed.
  bool RunInteractive();
  bool RunStream(FILE* in);

  // Ingests files into Bronze, then refreshes Silver and Gold; progress on stderr.
  bool Ingest(const std::vector<std::string>& files);
  bool Refresh();
  // Audits every rule (litehouse dq, .dq run): prints the results; false on FAIL, ERROR or a
  // batch held in Bronze.
  bool RunQualityChecks();
  // Sends undelivered data-quality alerts to `sinks` (nothing when none is set); false when
  // some could not be delivered.
  bool DeliverAlerts(const AlertSinks& sinks);
  // .dq and its subcommands (`line` as typed, `words` split).
  bool DqCommand(const std::string& line, const std::vector<std::string>& words);

  std::vector<std::string> CompletionWords();

 private:
  bool IngestCommand(const std::vector<std::string>& args);
  bool ExecLineOrStatement(std::string* pending, const std::string& line, bool* quit);
  void PrintStatus();

  std::unique_ptr<Database> db_;
  OutputMode mode_;
  bool headers_;
  bool timer_ = false;
  static constexpr int kMaxReadDepth = 25;
  int read_depth_ = 0;  // .read files open within each other
  FILE* out_ = stdout;
  LiveSession live_;  // `.ingest live`: declared last, so it stops before db_ closes
};

}  // namespace litehouse::shell

#include "shell/shell.h"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/sqlite_util.h"
#include "litehouse/quality.h"
#include "litehouse/sql.h"
#include "shell/line_editor.h"
#include "shell/progress.h"
#include "shell/run_command.h"

namespace litehouse::shell {
namespace {

const char kHelp[] =
    ".dq                    data-quality rules and the latest result of each\n"
    ".dq run                run every rule over everything now (as litehouse dq)\n"
    ".dq held               batches a blocking rule holds in Bronze\n"
    ".dq add NAME LAYER block|warn OP THRESHOLD SQL   add a rule (OP: >= <= > < = <>)\n"
    ".dq enable|disable NAME  switch a rule on or off (held batches are checked again)\n"
    ".headers on|off        show column names\n"
    ".help                  this text\n"
    ".ingest FILE...        ingest event files into Bronze, then refresh Silver and Gold\n"
    ".ingest live [URL] [OPTIONS]  follow EventStreams in the background (options as litehouse run)\n"
    ".ingest stop           finish the live batch, commit and stop\n"
    ".mode MODE             box, table, csv, json, line or list\n"
    ".quit, .exit           leave\n"
    ".read FILE             run the SQL and dot commands in FILE\n"
    ".refresh               move new Bronze rows into Silver and Gold\n"
    ".schema [PATTERN]      CREATE statements of tables and views (LIKE pattern)\n"
    ".status                rows, newest event, last refresh and lag per layer; the live session\n"
    ".tables [PATTERN]      names of tables and views\n"
    ".timer on|off          time each statement\n";

std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  std::string w;
  while (in >> w) {
    if (w.size() >= 2 && (w.front() == '"' || w.front() == '\'') && w.back() == w.front()) w = w.substr(1, w.size() - 2);
    words.push_back(w);
  }
  return words;
}

}  // namespace

Shell::Shell(std::unique_ptr<Database> db, OutputMode mode, bool headers)
    : db_(std::move(db)), mode_(mode), headers_(headers) {}

bool Shell::RunSql(const std::string& sql) {
  sqlite3* db = db_->handle();
  const char* tail = sql.c_str();
  bool ok = true;
  while (tail && *tail) {
    sqlite3_stmt* stmt = nullptr;
    const char* next = nullptr;
    auto started = std::chrono::steady_clock::now();
    if (sqlite3_prepare_v2(db, tail, -1, &stmt, &next) != SQLITE_OK) {
      std::fprintf(stderr, "litehouse: error: %s\n", sqlite3_errmsg(db));
      return false;
    }
    tail = next;
    if (!stmt) continue;  // white space or a comment
    ResultPrinter printer(out_, mode_, headers_);
    bool begun = false;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (!begun) {
        printer.Begin(stmt);
        begun = true;
      }
      printer.Row(stmt);
    }
    if (begun) printer.End();
    if (rc != SQLITE_DONE) {
      std::fprintf(stderr, "litehouse: error: %s\n", sqlite3_errmsg(db));
      ok = false;
    }
    sqlite3_finalize(stmt);
    if (timer_) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(out_, "Run Time: real %.3f\n", s);
    }
    if (!ok) return false;
  }
  return ok;
}

void Shell::PrintStatus() {
  OutputMode saved = mode_;
  if (mode_ == OutputMode::kList) mode_ = OutputMode::kBox;
  RunSql("SELECT layer, rows, newest_event_time, last_refresh_at, lag_seconds FROM lh_status");
  RunSql("SELECT url, events_committed, connected, reconnects, seconds_since_event, last_canary_at, "
         "seconds_since_canary, last_error FROM lh_live_status");
  mode_ = saved;
  std::fputs(live_.Describe().c_str(), out_);
}

bool Shell::Ingest(const std::vector<std::string>& files) {
  bool terminal = isatty(STDERR_FILENO);
  bool ok = true;
  for (const std::string& f : files) {
    IngestOptions options;
    ProgressReporter progress(stderr, f, terminal);
    options.progress = [&](const IngestProgress& p) { progress.Update(p); };
    IngestStats stats;
    Status s = IngestFile(db_->handle(), f, options, &stats);
    progress.Finish();
    if (!s.ok()) {
      // (An error about the file names it already.)
      const bool named = s.message().rfind(f + ": ", 0) == 0;
      std::fprintf(stderr, "litehouse: %s%s%s\n", named ? "" : f.c_str(), named ? "" : ": ", s.message().c_str());
      ok = false;
      // A damaged file's events before the damage are kept: say how many.
      if (stats.documents == 0) continue;
    }
    if (stats.already_complete) {
      std::fprintf(stderr, "%s: already ingested, nothing to do\n", f.c_str());
      continue;
    }
    std::fprintf(stderr, "%s: %llu events, %llu new, %llu duplicates, %llu rejected, %s in %.2f s (%.0f events/s)%s%s\n",
                 f.c_str(), static_cast<unsigned long long>(stats.documents),
                 static_cast<unsigned long long>(stats.inserted), static_cast<unsigned long long>(stats.duplicates),
                 static_cast<unsigned long long>(stats.rejects), HumanBytes(static_cast<double>(stats.bytes)).c_str(),
                 stats.seconds, stats.seconds > 0 ? stats.documents / stats.seconds : 0.0,
                 stats.resumed_from ? (" (resumed at byte " + std::to_string(stats.resumed_from) + ")").c_str() : "",
                 s.ok() ? "" : ", kept: the ones before the error");
  }
  return Refresh() && ok;
}

bool Shell::IngestCommand(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "litehouse: usage: .ingest FILE... | .ingest live [URL] [OPTIONS] | .ingest stop\n");
    return false;
  }
  if (args[0] == "stop" && args.size() == 1) {
    if (!live_.running()) {
      std::fprintf(stderr, "litehouse: no live session is running\n");
      return false;
    }
    std::fprintf(stderr, "live: stopped; %s\n", live_.Stop().c_str());
    return true;
  }
  if (args[0] != "live") return Ingest(args);
  LiveOptions options;
  std::vector<std::string> positional;
  bool quiet = false;
  std::string error;
  if (!ParseLiveArgs(std::vector<std::string>(args.begin() + 1, args.end()), &options, &positional, &quiet, &error) ||
      positional.size() > 1) {
    std::fprintf(stderr, "litehouse: .ingest live: %s\n", error.empty() ? "at most one URL" : error.c_str());
    return false;
  }
  if (!positional.empty()) options.url = positional[0];
  const char* path = sqlite3_db_filename(db_->handle(), "main");
  if (!path || !*path) {
    std::fprintf(stderr, "litehouse: .ingest live needs a database file (not an in-memory one)\n");
    return false;
  }
  if (!live_.Start(path, options, &error)) {
    std::fprintf(stderr, "litehouse: %s\n", error.c_str());
    return false;
  }
  std::fprintf(stderr, "live: following %s in the background (.status shows it, .ingest stop ends it)\n",
               options.url.c_str());
  return true;
}

bool Shell::Refresh() {
  RefreshStats stats;
  Status s = litehouse::Refresh(db_->handle(), &stats);
  if (!s.ok()) {
    std::fprintf(stderr, "litehouse: refresh: %s\n", s.message().c_str());
    return false;
  }
  std::fprintf(stderr, "refresh: %llu Bronze rows → %llu Silver rows, %llu rejected, %llu Gold hours in %.2f s\n",
               static_cast<unsigned long long>(stats.bronze_rows), static_cast<unsigned long long>(stats.silver_rows),
               static_cast<unsigned long long>(stats.silver_rejects), static_cast<unsigned long long>(stats.touched_hours),
               stats.seconds);
  if (stats.dq_checks > 0) {
    std::fprintf(stderr, "dq: %llu checks, %llu failed, %llu warned\n", static_cast<unsigned long long>(stats.dq_checks),
                 static_cast<unsigned long long>(stats.dq_failed), static_cast<unsigned long long>(stats.dq_warned));
  }
  for (const std::string& line : stats.dq_lines) std::fprintf(stderr, "dq: %s\n", line.c_str());
  return true;
}

bool Shell::RunQualityChecks() {
  QualitySummary summary;
  Status s = litehouse::RunQualityChecks(db_->handle(), &summary);
  if (!s.ok()) {
    std::fprintf(stderr, "litehouse: dq: %s\n", s.message().c_str());
    return false;
  }
  RunSql("SELECT layer, rule, status, round(metric, 4) AS metric, threshold, round(duration_ms, 1) AS ms "
         "FROM dq_results WHERE run_id = " + std::to_string(summary.run_id) + " ORDER BY result_id");
  for (const std::string& line : summary.lines) std::fprintf(stderr, "dq: %s\n", line.c_str());
  std::fprintf(stderr, "dq: run %lld: %llu passed, %llu warned, %llu failed, %llu errors; %llu batches held in Bronze\n",
               static_cast<long long>(summary.run_id), static_cast<unsigned long long>(summary.passed),
               static_cast<unsigned long long>(summary.warned), static_cast<unsigned long long>(summary.failed),
               static_cast<unsigned long long>(summary.errors), static_cast<unsigned long long>(summary.held_batches));
  return summary.failed == 0 && summary.errors == 0 && summary.held_batches == 0;
}

bool Shell::DeliverAlerts(const AlertSinks& sinks) {
  uint64_t sent = 0, unsent = 0;
  Status s = litehouse::DeliverAlerts(db_->handle(), sinks, &sent, &unsent);
  if (!s.ok()) {
    std::fprintf(stderr, "litehouse: alerts: %s\n", s.message().c_str());
    return false;
  }
  if (sent) std::fprintf(stderr, "dq: %llu alert(s) delivered\n", static_cast<unsigned long long>(sent));
  if (unsent) {
    std::fprintf(stderr, "dq: %llu alert(s) not delivered (see dq_alerts.delivery_error; the next run retries)\n",
                 static_cast<unsigned long long>(unsent));
  }
  return unsent == 0;
}

bool Shell::DqCommand(const std::string& line, const std::vector<std::string>& w) {
  if (w.size() == 1) {
    return RunSql(
        "SELECT r.rule_name AS rule, r.layer, r.severity, r.comparison || ' ' || r.threshold AS expects, "
        "r.enabled, q.status AS last_status, round(q.metric, 4) AS last_metric, q.checked_at "
        "FROM dq_rules AS r LEFT JOIN dq_results AS q ON q.result_id = "
        "(SELECT max(result_id) FROM dq_results WHERE rule = r.rule_name) "
        "ORDER BY CASE r.layer WHEN 'bronze' THEN 1 WHEN 'silver' THEN 2 ELSE 3 END, r.rule_name");
  }
  if (w[1] == "run" && w.size() == 2) return RunQualityChecks();
  if (w[1] == "held" && w.size() == 2) return RunSql("SELECT * FROM dq_held_batches ORDER BY batch_from");
  if ((w[1] == "enable" || w[1] == "disable") && w.size() == 3) {
    internal::Stmt st;
    Status s = st.Prepare(db_->handle(), "UPDATE dq_rules SET enabled = ? WHERE rule_name = ?");
    if (s.ok()) {
      st.BindInt(1, w[1] == "enable");
      st.BindText(2, w[2]);
      if (st.Step() != SQLITE_DONE) s = Status::SqlError(sqlite3_errmsg(db_->handle()));
    }
    if (s.ok() && sqlite3_changes(db_->handle()) == 0) s = Status::NotFound("no rule named '" + w[2] + "'");
    if (!s.ok()) std::fprintf(stderr, "litehouse: .dq %s: %s\n", w[1].c_str(), s.message().c_str());
    return s.ok();
  }
  if (w[1] == "add" && w.size() >= 8) {
    // The SQL is the rest of the line after the threshold, as typed.
    size_t pos = 0;
    for (int i = 0; i < 7; ++i) {
      pos = line.find_first_not_of(" \t", pos);
      pos = line.find_first_of(" \t", pos);
    }
    const std::string sql = line.substr(line.find_first_not_of(" \t", pos));
    char* end = nullptr;
    const double threshold = std::strtod(w[6].c_str(), &end);
    if (end == w[6].c_str() || *end != '\0') {
      std::fprintf(stderr, "litehouse: .dq add: the threshold '%s' is not a number\n", w[6].c_str());
      return false;
    }
    internal::Stmt st;
    Status s = st.Prepare(db_->handle(),
                          "INSERT INTO dq_rules (rule_name, layer, severity, comparison, threshold, metric_sql, "
                          "description) VALUES (?, ?, ?, ?, ?, ?, 'added with .dq add')");
    if (s.ok()) {
      for (int i = 2; i <= 5; ++i) st.BindText(i - 1, w[i]);
      sqlite3_bind_double(st.get(), 5, threshold);
      st.BindText(6, sql);
      if (st.Step() != SQLITE_DONE) s = Status::SqlError(sqlite3_errmsg(db_->handle()));
    }
    if (!s.ok()) std::fprintf(stderr, "litehouse: .dq add: %s\n", s.message().c_str());
    return s.ok();
  }
  std::fprintf(stderr, "litehouse: usage: .dq [run | held | enable NAME | disable NAME | "
                       "add NAME LAYER block|warn OP THRESHOLD SQL]\n");
  return false;
}

bool Shell::RunDotCommand(const std::string& line, bool* quit) {
  std::vector<std::string> w = SplitWords(line);
  if (w.empty()) return true;
  const std::string& cmd = w[0];
  auto on_off = [&](bool* flag) {
    if (w.size() != 2 || (w[1] != "on" && w[1] != "off")) {
      std::fprintf(stderr, "litehouse: usage: %s on|off\n", cmd.c_str());
      return false;
    }
    *flag = w[1] == "on";
    return true;
  };
  if (cmd == ".quit" || cmd == ".exit") {
    *quit = true;
    return true;
  }
  if (cmd == ".help") {
    std::fputs(kHelp, out_);
    return true;
  }
  if (cmd == ".headers") return on_off(&headers_);
  if (cmd == ".timer") return on_off(&timer_);
  if (cmd == ".mode") {
    if (w.size() != 2 || !ParseOutputMode(w[1], &mode_)) {
      std::fprintf(stderr, "litehouse: usage: .mode box|table|csv|json|line|list\n");
      return false;
    }
    if (mode_ == OutputMode::kCsv) headers_ = true;  // as sqlite3 does: a CSV without a header is rarely wanted
    return true;
  }
  // .tables and .schema: the schema's rows whose name matches an optional LIKE pattern.
  auto schema_rows = [&](const char* sql, std::vector<std::vector<std::string>>* rows) {
    Status s = db_->Query(sql, rows, {w.size() > 1 ? w[1] : "%"});
    if (!s.ok()) std::fprintf(stderr, "litehouse: %s\n", s.message().c_str());
    return s.ok();
  };
  if (cmd == ".tables") {
    std::vector<std::vector<std::string>> rows;
    if (!schema_rows("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                     "AND name LIKE ?1 ORDER BY name",
                     &rows)) {
      return false;
    }
    size_t width = 0;
    for (const auto& r : rows) width = std::max(width, r[0].size());
    size_t per_line = std::max<size_t>(1, 100 / (width + 2));
    for (size_t i = 0; i < rows.size(); ++i) {
      std::fprintf(out_, "%-*s", static_cast<int>(width + 2), rows[i][0].c_str());
      if ((i + 1) % per_line == 0 || i + 1 == rows.size()) std::fputc('\n', out_);
    }
    return true;
  }
  if (cmd == ".schema") {
    std::vector<std::vector<std::string>> rows;
    if (!schema_rows("SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
                     "AND name LIKE ?1 ORDER BY type DESC, name",
                     &rows)) {
      return false;
    }
    for (const auto& r : rows) std::fprintf(out_, "%s\n", r[0].c_str());
    return true;
  }
  if (cmd == ".read") {
    if (w.size() != 2) {
      std::fprintf(stderr, "litehouse: usage: .read FILE\n");
      return false;
    }
    // A file that reads itself (or two that read each other) would recurse until the stack
    // overflowed; sqlite3 stops at the same depth.
    if (read_depth_ >= kMaxReadDepth) {
      std::fprintf(stderr, "litehouse: .read %s: files read within each other %d deep (a file that reads itself?)\n",
                   w[1].c_str(), kMaxReadDepth);
      return false;
    }
    FILE* f = std::fopen(w[1].c_str(), "r");
    if (!f) {
      std::fprintf(stderr, "litehouse: cannot open '%s'\n", w[1].c_str());
      return false;
    }
    ++read_depth_;
    bool ok = RunStream(f);
    --read_depth_;
    std::fclose(f);
    return ok;
  }
  if (cmd == ".ingest") return IngestCommand(std::vector<std::string>(w.begin() + 1, w.end()));
  if (cmd == ".refresh") return Refresh();
  if (cmd == ".dq") return DqCommand(line, w);
  if (cmd == ".status") {
    PrintStatus();
    return true;
  }
  std::fprintf(stderr, "litehouse: unknown command '%s' (try .help)\n", cmd.c_str());
  return false;
}

// Dot commands act on a line of their own; SQL accumulates until sqlite3_complete says the
// statement is whole.
bool Shell::ExecLineOrStatement(std::string* pending, const std::string& line, bool* quit) {
  std::string failure = live_.TakeFailure();
  if (!failure.empty()) std::fprintf(stderr, "litehouse: the live session stopped: %s\n", failure.c_str());
  if (pending->empty()) {
    size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] == '.') return RunDotCommand(line.substr(first), quit);
  }
  *pending += line;
  *pending += '\n';
  if (!sqlite3_complete(pending->c_str())) return true;
  std::string sql;
  sql.swap(*pending);
  return RunSql(sql);
}

bool Shell::RunStream(FILE* in) {
  std::string pending, line;
  bool ok = true, quit = false;
  char buf[65536];
  while (!quit && std::fgets(buf, sizeof buf, in)) {
    line += buf;
    if (line.empty() || line.back() != '\n') {
      if (!std::feof(in)) continue;  // a line longer than the buffer
    } else {
      line.pop_back();
    }
    ok = ExecLineOrStatement(&pending, line, &quit) && ok;
    line.clear();
  }
  if (!line.empty()) ok = ExecLineOrStatement(&pending, line, &quit) && ok;
  if (!quit && pending.find_first_not_of(" \t\n;") != std::string::npos) ok = RunSql(pending) && ok;
  return ok;
}

std::vector<std::string> Shell::CompletionWords() {
  std::vector<std::string> words = {".dq", ".headers", ".help", ".ingest", ".mode", ".quit", ".exit", ".read",
                                    ".refresh", ".schema", ".status", ".tables", ".timer"};
  std::vector<std::vector<std::string>> rows;
  if (db_->Query("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' UNION "
                 "SELECT DISTINCT p.name FROM sqlite_schema s, pragma_table_info(s.name) p WHERE s.type IN ('table','view') "
                 "UNION SELECT name FROM pragma_function_list",
                 &rows)
          .ok()) {
    for (const auto& r : rows) words.push_back(r[0]);
  }
  for (int i = 0; i < sqlite3_keyword_count(); ++i) {
    const char* name = nullptr;
    int n = 0;
    if (sqlite3_keyword_name(i, &name, &n) == SQLITE_OK) words.emplace_back(name, static_cast<size_t>(n));
  }
  return words;
}

bool Shell::RunInteractive() {
  std::fprintf(out_, "litehouse %s — .help for commands, .quit to leave\n", Version());
  LineEditor editor([this] { return CompletionWords(); });
  std::string pending, line;
  bool quit = false;
  while (!quit) {
    const char* prompt = pending.empty() ? "litehouse> " : "      ...> ";
    if (!editor.ReadLine(prompt, &line)) break;
    editor.AddHistory(line);
    ExecLineOrStatement(&pending, line, &quit);
  }
  std::fputc('\n', out_);
  return true;
}

}  // namespace litehouse::shell

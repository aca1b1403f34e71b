// litehouse: the program.
//
//   litehouse [DB]                   interactive SQL shell (SQL from standard input when piped)
//   litehouse DB "SQL"               run SQL and exit
//   litehouse ingest DB FILE...      ingest event files, then refresh Silver and Gold
//   litehouse refresh DB             refresh Silver and Gold
//   litehouse run DB [OPTIONS]       follow Wikimedia EventStreams live (shell/run_command.cc)
//   litehouse replay-server FILE...  a local EventStreams serving recordings (shell/replay_server.h)
// Options: --csv, --json, --box, --header/--noheader, --help, --version.
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "litehouse/litehouse.h"
#include "shell/replay_server.h"
#include "shell/run_command.h"
#include "shell/shell.h"

namespace {

const char kUsage[] =
    "usage: litehouse [OPTIONS] [DB [SQL]]\n"
    "       litehouse ingest DB FILE...\n"
    "       litehouse refresh DB\n"
    "       litehouse dq DB          run every data-quality rule over everything; exit 1 on FAIL,\n"
    "                                ERROR or a held batch\n"
    "       litehouse run DB [--url URL] [--contact EMAIL] [--since TIME] [--wiki LIST] ... (run --help)\n"
    "       litehouse replay-server FILE... [--port P] [--rate N] [--retime] ... (replay-server --help)\n"
    "options: --csv --json --box --line --header --noheader --help --version\n"
    "         ingest, refresh, dq: --alert-command CMD (each data-quality alert's JSON on its stdin)\n"
    "                              --alert-webhook URL (each alert POSTed as JSON, retried)\n"
    "DB defaults to wiki.db. With SQL, runs it and exits; with SQL on standard input, runs that.\n";

const char kReplayUsage[] =
    "usage: litehouse replay-server FILE... [OPTIONS]\n"
    "A local Wikimedia EventStreams serving recorded events (any shape litehouse reads), framed as the\n"
    "real one; honours Last-Event-ID and ?since=. URL: http://127.0.0.1:PORT/v2/stream/recentchange\n"
    "  --port P (8092; 0 = any free)  --bind ADDR (127.0.0.1)  --port-file F (written once listening)\n"
    "  --rate N               events per second per connection (default: as fast as possible)\n"
    "  --retime               rewrite meta.dt and timestamp to the moment of first sending (and make\n"
    "                         meta.id unique to this server run: retimed events are new events)\n"
    "  --loop                 serve the files again and again (meta.id gets ~PASS)\n"
    "  --canary-every N       a canary event (meta.domain canary) after every N events\n"
    "faults (each fires once per stream position):\n"
    "  --disconnect-every N   close cleanly after N events per connection (like the 15-minute close)\n"
    "  --disconnect-after S   close cleanly after S seconds per connection\n"
    "  --drop-mid-event-every N   send half of every Nth event, then reset the connection\n"
    "  --stall-every N --stall-seconds S   go silent for S seconds before every Nth event\n"
    "  --fail-status CODE --fail-count K [--retry-after S]   answer the first K requests with CODE\n"
    "  --malformed-every N | --invalid-utf8-every N | --oversized-every N [--oversized-bytes B]\n"
    "                         add a broken event after every N events\n"
    "  --max-connections N    more at once get HTTP 429 (default 16)   --quiet\n";

std::atomic<bool> g_replay_stop{false};
extern "C" void OnReplayStop(int) { g_replay_stop = true; }

int Fail(const std::string& message) {
  std::fprintf(stderr, "litehouse: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using litehouse::shell::OutputMode;
  // SQLite counts every allocation under one global mutex unless told not to, and a refresh
  // allocates per row: lock and unlock were ~6% of its samples. LITEHOUSE_TRACE prints SQLite's
  // heap peaks, which need the counters, so it keeps them. (Must precede every other SQLite call.)
  if (std::getenv("LITEHOUSE_TRACE") == nullptr) sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  // Subcommands with options of their own.
  if (argc >= 2 && std::strcmp(argv[1], "run") == 0) {
    std::vector<std::string> rest(argv + 2, argv + argc);
    if (rest.size() == 1 && (rest[0] == "--help" || rest[0] == "-h")) {
      std::fputs(litehouse::shell::kRunUsage, stdout);
      return 0;
    }
    return litehouse::shell::RunLiveCommand(rest);
  }
  if (argc >= 2 && std::strcmp(argv[1], "replay-server") == 0) {
    std::vector<std::string> rest(argv + 2, argv + argc);
    if (rest.size() == 1 && (rest[0] == "--help" || rest[0] == "-h")) {
      std::fputs(kReplayUsage, stdout);
      return 0;
    }
    litehouse::shell::ReplayOptions options;
    std::string error;
    if (!litehouse::shell::ParseReplayArgs(rest, &options, &error)) {
      std::fprintf(stderr, "litehouse replay-server: %s\n%s", error.c_str(), kReplayUsage);
      return 2;
    }
    std::signal(SIGINT, OnReplayStop);
    std::signal(SIGTERM, OnReplayStop);
    return litehouse::shell::RunReplayServer(options, g_replay_stop);
  }
  std::vector<std::string> args;
  OutputMode mode = OutputMode::kList;
  bool mode_set = false;
  int headers = -1;
  litehouse::AlertSinks alerts;  // for ingest, refresh and dq
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--version") {
      std::printf("litehouse %s (sqlite %s)\n", litehouse::Version(), sqlite3_libversion());
      return 0;
    } else if (a == "--header" || a == "--headers") {
      headers = 1;
    } else if (a == "--noheader") {
      headers = 0;
    } else if (a == "--alert-command" || a == "--alert-webhook") {
      if (i + 1 >= argc) return Fail(a + " needs a value");
      (a == "--alert-command" ? alerts.command : alerts.webhook_url) = argv[++i];
    } else if (a.size() > 2 && a.rfind("--", 0) == 0 && litehouse::shell::ParseOutputMode(a.substr(2), &mode)) {
      mode_set = true;
    } else if (a.rfind("--", 0) == 0) {
      return Fail("unknown option '" + a + "' (see --help)");
    } else {
      args.push_back(a);
    }
  }
  const bool interactive = isatty(STDIN_FILENO);
  if (!mode_set && interactive && args.size() <= 1) mode = OutputMode::kBox;
  bool show_headers = headers >= 0 ? headers == 1 : (mode == OutputMode::kCsv || mode == OutputMode::kBox);

  auto open = [&](const std::string& path, std::unique_ptr<litehouse::Database>* db) {
    litehouse::Status s = litehouse::Database::Open(path, db);
    if (!s.ok()) Fail(s.message());
    return s.ok();
  };

  if (!args.empty() && (args[0] == "ingest" || args[0] == "refresh")) {
    const bool ingest = args[0] == "ingest";
    if (args.size() < 2 || (ingest && args.size() < 3) || (!ingest && args.size() != 2)) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    std::unique_ptr<litehouse::Database> db;
    if (!open(args[1], &db)) return 1;
    litehouse::shell::Shell shell(std::move(db), mode, show_headers);
    bool ok = ingest ? shell.Ingest(std::vector<std::string>(args.begin() + 2, args.end())) : shell.Refresh();
    return shell.DeliverAlerts(alerts) && ok ? 0 : 1;
  }
  if (!args.empty() && args[0] == "dq") {
    if (args.size() != 2) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    std::unique_ptr<litehouse::Database> db;
    if (!open(args[1], &db)) return 1;
    litehouse::shell::Shell shell(std::move(db), mode, show_headers);
    const bool passed = shell.RunQualityChecks();
    return shell.DeliverAlerts(alerts) && passed ? 0 : 1;
  }
  if (args.size() > 2) return Fail("too many arguments (quote the SQL as one argument; see --help)");

  std::string path = args.empty() ? "wiki.db" : args[0];
  std::unique_ptr<litehouse::Database> db;
  if (!open(path, &db)) return 1;
  litehouse::shell::Shell shell(std::move(db), mode, show_headers);
  if (args.size() == 2) return shell.RunSql(args[1]) ? 0 : 1;
  if (!interactive) return shell.RunStream(stdin) ? 0 : 1;
  shell.RunInteractive();
  return 0;
}

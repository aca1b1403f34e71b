// litehouse: the program.
//
//   litehouse [DB]                   interactive SQL shell (SQL from standard input when piped)
//   litehouse DB "SQL"               run SQL and exit
//   litehouse ingest DB FILE...      ingest event files, then refresh Silver and Gold
//   litehouse refresh DB             refresh Silver and Gold
// Options: --csv, --json, --box, --header/--noheader, --help, --version.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "litehouse/litehouse.h"
#include "shell/shell.h"

namespace {

const char kUsage[] =
    "usage: litehouse [OPTIONS] [DB [SQL]]\n"
    "       litehouse ingest DB FILE...\n"
    "       litehouse refresh DB\n"
    "options: --csv --json --box --line --header --noheader --help --version\n"
    "DB defaults to wiki.db. With SQL, runs it and exits; with SQL on standard input, runs that.\n";

int Fail(const std::string& message) {
  std::fprintf(stderr, "litehouse: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using litehouse::shell::OutputMode;
  std::vector<std::string> args;
  OutputMode mode = OutputMode::kList;
  bool mode_set = false;
  int headers = -1;
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
    return ok ? 0 : 1;
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

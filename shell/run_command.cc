#include "shell/run_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "litehouse/database.h"

namespace litehouse::shell {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) { g_stop = true; }

std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t comma = v.find(',', pos);
    std::string item = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

const char kRunUsage[] =
    "usage: litehouse run DB [OPTIONS]\n"
    "Follows Wikimedia EventStreams into DB: Bronze exactly once, Silver and Gold refreshed behind it.\n"
    "  --url URL              stream (default https://stream.wikimedia.org/v2/stream/recentchange)\n"
    "  --contact EMAIL|URL    put in the User-Agent (Wikimedia requires one; or LITEHOUSE_CONTACT)\n"
    "  --since TIME           first start only: epoch ms or ISO-8601 (the stream keeps ~7 days)\n"
    "  --wiki LIST            keep only these wikis (enwiki,dewiki or en,de,ja,fr,zh,es,ru)\n"
    "  --domain LIST          keep only these domains (en.wikipedia.org,...)\n"
    "  --type LIST            keep only these types (edit,new,log,categorize)\n"
    "  --ca-file FILE         an extra CA bundle (TLS is always verified)\n"
    "  --commit-ms MS         commit a batch at least this often (default 250)\n"
    "  --refresh-every S      refresh Silver/Gold every S seconds (default: after every commit)\n"
    "  --stall-timeout S      reconnect after S seconds without a byte (default 30)\n"
    "  --max-backoff S        cap of the reconnect backoff (default 60)\n"
    "  --max-event-bytes N    larger events go to bronze_rejects (default 4194304)\n"
    "  --stop-after-events N  stop after N new Bronze rows\n"
    "  --duration S           stop after S seconds\n"
    "  --quiet                no status line, only problems\n"
    "SIGINT/SIGTERM finish the current batch, commit, refresh and exit 0.\n";

bool ParseLiveArgs(const std::vector<std::string>& args, LiveOptions* o, std::vector<std::string>* positional,
                   bool* quiet, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      positional->push_back(a);
      continue;
    }
    if (a == "--quiet") {
      *quiet = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      *error = a + " needs a value";
      return false;
    }
    const std::string& v = args[++i];
    char* end = nullptr;
    const double num = std::strtod(v.c_str(), &end);
    const bool numeric = end && *end == '\0' && !v.empty() && num >= 0;
    if (a == "--url") o->url = v;
    else if (a == "--contact") o->contact = v;
    else if (a == "--since") o->since = v;
    else if (a == "--wiki") o->wikis = SplitList(v);
    else if (a == "--domain") o->domains = SplitList(v);
    else if (a == "--type") o->types = SplitList(v);
    else if (a == "--ca-file") o->ca_file = v;
    else if (!numeric) {
      *error = (a == "--commit-ms" || a == "--refresh-every" || a == "--stall-timeout" || a == "--max-backoff" ||
                a == "--max-event-bytes" || a == "--stop-after-events" || a == "--duration")
                   ? a + " needs a non-negative number, not '" + v + "'"
                   : "unknown option '" + a + "'";
      return false;
    } else if (a == "--commit-ms") o->commit_interval_s = num / 1000;
    else if (a == "--refresh-every") o->refresh_interval_s = num;
    else if (a == "--stall-timeout") o->stall_timeout_s = num;
    else if (a == "--max-backoff") o->backoff_max_s = num;
    else if (a == "--max-event-bytes") o->max_event_bytes = static_cast<uint64_t>(num);
    else if (a == "--stop-after-events") o->stop_after_events = static_cast<uint64_t>(num);
    else if (a == "--duration") o->stop_after_s = num;
    else {
      *error = "unknown option '" + a + "'";
      return false;
    }
  }
  if (o->contact.empty()) {
    if (const char* c = std::getenv("LITEHOUSE_CONTACT")) o->contact = c;
  }
  return true;
}

int RunLiveCommand(const std::vector<std::string>& args) {
  LiveOptions options;
  std::vector<std::string> positional;
  bool quiet = false;
  std::string error;
  if (!ParseLiveArgs(args, &options, &positional, &quiet, &error)) {
    std::fprintf(stderr, "litehouse run: %s\n%s", error.c_str(), kRunUsage);
    return 2;
  }
  if (positional.size() != 1) {
    std::fputs(kRunUsage, stderr);
    return 2;
  }
  std::unique_ptr<Database> db;
  Status s = Database::Open(positional[0], &db);
  if (!s.ok()) {
    std::fprintf(stderr, "litehouse run: %s\n", s.message().c_str());
    return 1;
  }
  if (options.contact.empty() && options.url.find("wikimedia.org") != std::string::npos) {
    std::fprintf(stderr,
                 "litehouse run: warning: no --contact given; Wikimedia may refuse (HTTP 403) clients whose "
                 "User-Agent names no contact\n");
  }
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  const bool tty = isatty(STDERR_FILENO);
  std::mutex out_mu;
  bool status_shown = false;
  auto last_plain = std::chrono::steady_clock::now();
  options.on_log = [&](const std::string& line) {
    std::lock_guard<std::mutex> lock(out_mu);
    std::fprintf(stderr, "%slitehouse run: %s\n", status_shown ? "\r\033[K" : "", line.c_str());
    status_shown = false;
  };
  options.on_status = [&](const LiveStatus& st) {
    if (quiet) return;
    std::lock_guard<std::mutex> lock(out_mu);
    if (tty) {
      std::fprintf(stderr, "\r\033[K%s", st.ToLine().c_str());
      status_shown = true;
    } else if (std::chrono::steady_clock::now() - last_plain >= std::chrono::seconds(10)) {
      std::fprintf(stderr, "litehouse run: %s\n", st.ToLine().c_str());
      last_plain = std::chrono::steady_clock::now();
    }
  };
  LiveStatus final_status;
  s = RunLive(db->handle(), options, g_stop, &final_status);
  {
    std::lock_guard<std::mutex> lock(out_mu);
    if (status_shown) std::fputc('\n', stderr);
    status_shown = false;
  }
  auto seconds = [](double v) {
    char b[32];
    if (v < 0) return std::string("-");
    std::snprintf(b, sizeof b, "%.3f s", v);
    return std::string(b);
  };
  std::fprintf(stderr,
               "litehouse run: %s; %llu events received, %llu new, %llu duplicates, %llu rejected, %llu filtered, "
               "%llu reconnects; edit->Gold p50 %s p99 %s max %s\n",
               s.ok() ? "stopped" : "failed", static_cast<unsigned long long>(final_status.received),
               static_cast<unsigned long long>(final_status.inserted),
               static_cast<unsigned long long>(final_status.duplicates),
               static_cast<unsigned long long>(final_status.rejects),
               static_cast<unsigned long long>(final_status.filtered),
               static_cast<unsigned long long>(final_status.reconnects), seconds(final_status.run_freshness_p50_s).c_str(),
               seconds(final_status.run_freshness_p99_s).c_str(), seconds(final_status.run_freshness_max_s).c_str());
  if (!s.ok()) {
    std::fprintf(stderr, "litehouse run: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace litehouse::shell

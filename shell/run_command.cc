#include "shell/run_command.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "litehouse/database.h"
#include "shell/option_parser.h"

namespace litehouse::shell {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) { g_stop = true; }

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
    "  --dq-policy hold|stop  a blocking data-quality rule holds the batch in Bronze and the run\n"
    "                         goes on (hold, default), or the run stops with exit code 1 (stop)\n"
    "  --alert-command CMD    run CMD (by /bin/sh) for each data-quality alert, its JSON on stdin\n"
    "  --alert-webhook URL    POST each data-quality alert's JSON to URL (retried)\n"
    "  --quiet                no status line, only problems\n"
    "SIGINT/SIGTERM finish the current batch, commit, refresh and exit 0.\n";

bool ParseLiveArgs(const std::vector<std::string>& args, LiveOptions* o, std::vector<std::string>* positional,
                   bool* quiet, std::string* error) {
  OptionParser p;
  p.Flag("--quiet", quiet);
  p.Text("--url", [o](const std::string& v) { o->url = v; });
  p.Text("--contact", [o](const std::string& v) { o->contact = v; });
  p.Text("--since", [o](const std::string& v) { o->since = v; });
  p.Text("--wiki", [o](const std::string& v) { o->wikis = SplitList(v); });
  p.Text("--domain", [o](const std::string& v) { o->domains = SplitList(v); });
  p.Text("--type", [o](const std::string& v) { o->types = SplitList(v); });
  p.Text("--ca-file", [o](const std::string& v) { o->ca_file = v; });
  p.Number("--commit-ms", [o](double v) { o->commit_interval_s = v / 1000; });
  p.Number("--refresh-every", [o](double v) { o->refresh_interval_s = v; });
  p.Number("--stall-timeout", [o](double v) { o->stall_timeout_s = v; });
  p.Number("--max-backoff", [o](double v) { o->backoff_max_s = v; });
  p.Number("--max-event-bytes", [o](double v) { o->max_event_bytes = static_cast<uint64_t>(v); });
  p.Number("--stop-after-events", [o](double v) { o->stop_after_events = static_cast<uint64_t>(v); });
  p.Number("--duration", [o](double v) { o->stop_after_s = v; });
  std::string dq_policy = "hold";
  p.Text("--dq-policy", [&dq_policy](const std::string& v) { dq_policy = v; });
  p.Text("--alert-command", [o](const std::string& v) { o->alerts.command = v; });
  p.Text("--alert-webhook", [o](const std::string& v) { o->alerts.webhook_url = v; });
  if (!p.Parse(args, positional, error)) return false;
  if (dq_policy != "hold" && dq_policy != "stop") {
    *error = "--dq-policy takes hold or stop, not '" + dq_policy + "'";
    return false;
  }
  o->stop_on_held_batch = dq_policy == "stop";
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
               "%llu reconnects; edit->Gold p50 %s p99 %s max %s; dq %s\n",
               s.ok() ? "stopped" : "failed", static_cast<unsigned long long>(final_status.received),
               static_cast<unsigned long long>(final_status.inserted),
               static_cast<unsigned long long>(final_status.duplicates),
               static_cast<unsigned long long>(final_status.rejects),
               static_cast<unsigned long long>(final_status.filtered),
               static_cast<unsigned long long>(final_status.reconnects), seconds(final_status.run_freshness_p50_s).c_str(),
               seconds(final_status.run_freshness_p99_s).c_str(), seconds(final_status.run_freshness_max_s).c_str(),
               final_status.last_dq.empty() ? "-" : final_status.last_dq.c_str());
  if (!s.ok()) {
    std::fprintf(stderr, "litehouse run: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace litehouse::shell

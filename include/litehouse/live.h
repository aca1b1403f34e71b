// Live: follow Wikimedia EventStreams into Bronze, and keep Silver and Gold refreshed behind it.
//
//   litehouse::LiveOptions options;
//   options.contact = "me@example.org";        // Wikimedia refuses anonymous clients
//   std::atomic<bool> stop{false};             // set it (from a signal handler, say) to finish
//   litehouse::LiveStatus status;
//   litehouse::Status s = litehouse::RunLive(db->handle(), options, stop, &status);
//
// Exactly once across crashes: each batch's Bronze rows and the SSE id of its last event are
// committed in one transaction; a restart resumes from that id (Last-Event-ID), and whatever the
// server sends again is absorbed by event_id. Silver and Gold are refreshed after each commit
// (or every refresh_interval_s) in transactions of their own, so readers of the file always see
// whole layers. Thread-safety: RunLive uses its connection alone until it returns; other
// connections and processes may read the file meanwhile (WAL).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "litehouse/quality.h"
#include "litehouse/status.h"

struct sqlite3;

namespace litehouse {

inline constexpr const char* kDefaultStreamUrl = "https://stream.wikimedia.org/v2/stream/recentchange";

struct LiveOptions {
  std::string url = kDefaultStreamUrl;
  // Goes into the User-Agent ("litehouse/VERSION (+project; CONTACT)"); Wikimedia answers 403
  // to clients that name no contact.
  std::string contact;
  std::string since;    // first start only (no stored position): epoch ms or ISO-8601 time
  std::string ca_file;  // an extra CA bundle; TLS verification is always on
  // Keep only these (empty = all). Wikis by database name or language ("enwiki" or "en"),
  // domains exactly ("de.wikipedia.org"), types ("edit,new"). Canary events are always kept.
  std::vector<std::string> wikis, domains, types;
  double commit_interval_s = 0.25;   // a batch is committed at least this often while events flow
  double refresh_interval_s = 0;     // Silver/Gold refresh cadence; 0 = after every commit
  double stall_timeout_s = 30;       // no byte for this long: reconnect
  double backoff_initial_s = 0.5;    // reconnect backoff: full jitter, doubling, capped
  double backoff_max_s = 60;
  uint64_t max_event_bytes = 4u << 20;  // a larger event goes to bronze_rejects
  uint64_t stop_after_events = 0;    // stop once this many new Bronze rows arrived (0 = never)
  double stop_after_s = 0;           // stop after this long (0 = never)
  // A blocking data-quality rule holds a batch in Bronze and the loop goes on (false), or the
  // loop stops with an error (true: --dq-policy stop, as the system litehouse replaces does).
  bool stop_on_held_batch = false;
  // Data-quality alerts are also sent here (after the refresh that raised them; undelivered ones
  // again at most every 30 s). Sending runs on the loop's thread: events wait in the bounded
  // queue meanwhile, and nothing is lost.
  AlertSinks alerts;
  // Called after every commit and refresh, and at least once a second, on RunLive's thread.
  std::function<void(const struct LiveStatus&)> on_status;
  // One line per connection event (connect, disconnect, backoff, fatal); any thread.
  std::function<void(const std::string&)> on_log;
};

struct LiveStatus {
  uint64_t received = 0;      // SSE events received
  uint64_t inserted = 0;      // new Bronze rows
  uint64_t duplicates = 0;    // deliveries of an event_id Bronze already had
  uint64_t rejects = 0;       // rows written to bronze_rejects
  uint64_t filtered = 0;      // events left out by --wiki/--domain/--type
  uint64_t canaries = 0;
  uint64_t error_events = 0;  // `event: error` from the server
  uint64_t reconnects = 0;
  uint64_t bytes = 0;         // bytes received from the network
  uint64_t batches = 0;
  uint64_t refreshes = 0;
  bool connected = false;
  double events_per_s = 0;    // received, over the last few seconds
  double lag_s = -1;          // now − the newest event_time in Bronze (-1: none yet)
  double since_last_event_s = -1;
  double since_last_canary_s = -1;
  double since_last_refresh_s = -1;
  double freshness_p50_s = -1;  // edit → Gold, over the current minute
  double freshness_p99_s = -1;
  double run_freshness_p50_s = -1;  // edit → Gold over the whole run (within 1%)
  double run_freshness_p99_s = -1;
  double run_freshness_max_s = -1;
  std::string last_dq;        // the worst data-quality result of the last refresh, and held batches
  std::string last_error;     // the newest connection problem
  std::string ToLine() const; // one status line, as the program prints it
};

// Follows the stream until `stop` is set (then it finishes the batch, commits, refreshes and
// returns Ok), a stop_after_* limit is reached, or a fatal error (HTTP 403/404, a database
// error) — returned as the Status. `status`, if not null, gets the final counters.
Status RunLive(sqlite3* db, const LiveOptions& options, const std::atomic<bool>& stop, LiveStatus* status);

// "litehouse/0.1.0 (+https://github.com/litehouse/litehouse; CONTACT)".
std::string LiveUserAgent(const std::string& contact);

}  // namespace litehouse

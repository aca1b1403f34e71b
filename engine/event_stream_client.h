// EventStreamClient: follows a Wikimedia EventStreams (Server-Sent Events) URL over libcurl on
// a thread of its own, and hands complete events to a consumer through a bounded queue.
//
// It reconnects for ever after every transient fault — the server's routine disconnect (about
// every 15 minutes), resets, stalls (no byte for stall_timeout), HTTP 429/5xx (honouring
// Retry-After), DNS and TLS errors — with exponential backoff and full jitter, capped. On each
// (re)connect it sends the id of the last event it delivered as Last-Event-ID, rewound by 1 ms
// (EventStreams ids are Kafka timestamps + 1 ms: events sharing the last millisecond would
// otherwise be skipped; the consumer absorbs the replayed ones by event_id). HTTP 401/403/404
// and other 4xx are fatal: the client stops with a message a person can act on.
// TLS peers are always verified (ca_file adds a CA bundle; nothing turns verification off).
//
// Memory is bounded: the queue holds at most queue_events events and queue_bytes bytes; when the
// consumer is slow, the network thread waits, and TCP backpressure slows the server.
// Thread-safety: Start/Stop/Pop from the consumer's thread; counters from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "engine/bounded_queue.h"
#include "engine/sse_parser.h"
#include "litehouse/status.h"

namespace litehouse::internal {

struct StreamClientOptions {
  std::string url;
  std::string user_agent;
  std::string last_event_id;  // resume after this event (empty: start now, or at `since`)
  std::string since;          // ?since= for a first start: epoch ms or ISO-8601
  std::string ca_file;        // extra CA bundle for TLS verification
  double connect_timeout_s = 15;
  double stall_timeout_s = 30;  // no byte for this long: reconnect
  double backoff_initial_s = 0.5;
  double backoff_max_s = 60;
  size_t max_event_bytes = 4u << 20;
  size_t queue_events = 8192;
  size_t queue_bytes = 64u << 20;
  std::function<void(const std::string&)> log;  // one line per connection event; any thread
};

// A connection attempt's outcome, for the backoff decision (exposed for tests).
struct ConnectionOutcome {
  long http_status = 0;            // 0 when no response arrived
  int curl_code = 0;               // CURLcode
  std::string curl_error;          // curl's message
  uint64_t events = 0;             // events delivered on this connection
  double retry_after_s = -1;       // the server's Retry-After, if any
  std::string body;                // the start of a non-200 response body
  bool stopped = false;            // ended because Stop() was called
};

// What to do after a connection ends: wait `delay_s` and reconnect, or stop with `fatal`.
struct ReconnectDecision {
  bool fatal = false;
  std::string message;  // for the log (or the fatal error)
  double delay_s = 0;
  bool reset_backoff = false;
};
// `attempt` counts failures in a row; `random01` is uniform in [0, 1) (full jitter).
ReconnectDecision DecideReconnect(const ConnectionOutcome& outcome, int attempt, double random01,
                                  const StreamClientOptions& options, int64_t server_retry_ms);

// "[{...,"timestamp":1746030241001},...]" → the same with every timestamp 1 ms earlier.
std::string RewindEventId(const std::string& id);
// The largest timestamp (else offset) in an EventStreams id; 0 when it has none.
int64_t EventIdPosition(const std::string& id);

class EventStreamClient {
 public:
  explicit EventStreamClient(StreamClientOptions options);
  ~EventStreamClient();  // stops and joins
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  void Start();
  // Asks the network thread to end (within ~100 ms) and joins it; queued events stay poppable.
  void Stop();
  // The next event, waiting until `deadline`; false on timeout, or when the client has ended and
  // the queue is empty (then fatal() says why, if it was not Stop()).
  bool Pop(SseEvent* event, std::chrono::steady_clock::time_point deadline);
  bool ended() const { return ended_.load(); }
  Status fatal() const;

  uint64_t reconnects() const { return reconnects_.load(); }
  uint64_t bytes_received() const { return bytes_.load(); }
  bool connected() const { return connected_.load(); }

 private:
  void Run();
  ConnectionOutcome Connect(const std::string& url, const std::string& last_event_id);
  void Log(const std::string& line);

  StreamClientOptions options_;
  BoundedQueue<SseEvent> queue_;
  std::thread thread_;
  std::atomic<bool> stop_{false}, ended_{false}, connected_{false};
  std::atomic<uint64_t> reconnects_{0}, bytes_{0};
  mutable std::mutex fatal_mu_;
  Status fatal_;
  SseParser parser_;
};

}  // namespace litehouse::internal

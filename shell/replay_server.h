// The replay server: a local Wikimedia EventStreams that serves recorded events, for tests, the
// offline demo and rehearsals (`litehouse replay-server FILE...`).
//
// It frames events exactly as EventStreams does — a chunked `text/event-stream` body opening
// with the comment `:ok`, then per event `event: message`, `id: [{topic, partition,
// timestamp}, ...]` and `data: <one line of JSON>` — and keeps them as a log: each served event
// has a Kafka-like timestamp, never decreasing (with --retime several may share a millisecond),
// so `Last-Event-ID` (timestamp + 1 ms, as the real ids are) and `?since=` resume where a client
// left off — skipping the rest of a shared millisecond, exactly as the real stream does. Without
// either, serving starts at the beginning of the recording. Faults are injected by flags
// (ReplayOptions), each at a fixed log position and only the first time that position is
// served, so a client that recovers makes progress. Binds to 127.0.0.1 unless told otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace litehouse::shell {

struct ReplayOptions {
  std::vector<std::string> files;    // any shape litehouse reads; plain, .zst or .gz
  std::string bind = "127.0.0.1";
  int port = 8092;                   // 0 = any free port
  std::string port_file;             // written with the port once listening
  double rate = 0;                   // events per second per connection; 0 = as fast as possible
  bool retime = false;               // rewrite meta.dt/timestamp to the moment of first sending;
                                     // meta.id gets "~<server start>.<pass>": a new event
  bool loop = false;                 // serve the files again and again (meta.id gets "~<pass>")
  uint64_t canary_every = 0;         // a (synthetic) canary event after every N events
  // Faults.
  uint64_t disconnect_every = 0;     // close cleanly after N events on a connection
  double disconnect_after_s = 0;     // close cleanly after S seconds on a connection
  uint64_t drop_mid_event_every = 0; // every Nth event: send half its frame, then cut the TCP connection
  uint64_t stall_every = 0;          // every Nth event: first go silent for stall_s
  double stall_s = 0;
  int fail_status = 0;               // answer the first fail_count requests with this status
  uint64_t fail_count = 0;
  double retry_after_s = -1;         // with fail_status: a Retry-After header
  uint64_t malformed_every = 0;      // after every N events, an event whose JSON is cut short
  uint64_t invalid_utf8_every = 0;   // after every N events, an event with invalid UTF-8
  uint64_t oversized_every = 0;      // after every N events, an event of oversized_bytes
  uint64_t oversized_bytes = 5u << 20;
  int max_connections = 16;          // more at once get HTTP 429, as Wikimedia does
  bool quiet = false;
};

// Serves until `stop` is set. Returns a process exit code; prints errors on stderr.
int RunReplayServer(const ReplayOptions& options, const std::atomic<bool>& stop);

// Parses `litehouse replay-server` arguments (after the subcommand). False with *error set on a
// mistake.
bool ParseReplayArgs(const std::vector<std::string>& args, ReplayOptions* options, std::string* error);

}  // namespace litehouse::shell

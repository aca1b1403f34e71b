#include "shell/replay_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "engine/byte_source.h"
#include "engine/document_splitter.h"
#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/event_stream_client.h"
#include "engine/time_util.h"
#include "shell/option_parser.h"

namespace litehouse::shell {
namespace {

using Clock = std::chrono::steady_clock;

struct Doc {
  std::string json;  // minified: one data: line
  int64_t event_ms = 0;
};

enum class Kind : uint8_t { kEvent, kCanary, kMalformed, kInvalidUtf8, kOversized };

struct Entry {
  uint32_t doc;
  uint32_t pass;
  Kind kind;
};

// ISO-8601 with milliseconds and Z, as meta.dt is written.
std::string IsoTime(int64_t ms) {
  std::string t = internal::FormatTime(ms);  // "YYYY-MM-DD HH:MM:SS.mmm"
  t[10] = 'T';
  return t + "Z";
}

// Replaces the value of the first string field `"key":"..."` (values without escapes, as dt and
// ids are). Returns false if there is none.
bool ReplaceString(std::string* json, std::string_view key, const std::string& value) {
  std::string pattern = "\"" + std::string(key) + "\":\"";
  size_t k = json->find(pattern);
  if (k == std::string::npos) return false;
  size_t start = k + pattern.size();
  size_t end = json->find('"', start);
  if (end == std::string::npos) return false;
  json->replace(start, end - start, value);
  return true;
}

bool ReplaceNumber(std::string* json, std::string_view key, int64_t value) {
  std::string pattern = "\"" + std::string(key) + "\":";
  size_t k = json->find(pattern);
  if (k == std::string::npos) return false;
  size_t start = k + pattern.size(), end = start;
  while (end < json->size() && (std::isdigit(static_cast<unsigned char>((*json)[end])) || (*json)[end] == '-')) ++end;
  if (end == start) return false;
  json->replace(start, end - start, std::to_string(value));
  return true;
}

std::string UuidFrom(uint64_t seed) {
  uint64_t a = internal::Fnv1a64(std::to_string(seed)), b = internal::Fnv1a64(std::to_string(a));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-8%03x-%012" PRIx64, static_cast<unsigned>(a >> 32),
                static_cast<unsigned>(a & 0xffff), static_cast<unsigned>((a >> 16) & 0xfff),
                static_cast<unsigned>(b & 0xfff), static_cast<uint64_t>((b >> 16) & 0xffffffffffffULL));
  return buf;
}

// The recorded events and the log of what is (or will be) served, shared by all connections.
class ReplayLog {
 public:
  ReplayLog(const ReplayOptions& o, std::vector<Doc> docs)
      : o_(o), docs_(std::move(docs)), run_tag_(std::to_string(internal::NowMs() / 1000)) {}

  // The first position whose timestamp is >= t (a Last-Event-ID or ?since= value).
  uint64_t FindStart(int64_t t) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::lower_bound(ts_.begin(), ts_.end(), t);
    if (it != ts_.end()) return static_cast<uint64_t>(it - ts_.begin());
    if (o_.retime) return ts_.size();  // later events get later times
    // Without --retime the times are known in advance: walk forward.
    for (uint64_t i = ts_.size();; ++i) {
      if (!EnsureLocked(i)) return i;
      AssignLocked(i, 0);
      if (ts_[i] >= t) return i;
    }
  }

  // Builds the SSE frame of position i; false when the recording is exhausted.
  bool Frame(uint64_t i, std::string* frame) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!EnsureLocked(i)) return false;
    AssignLocked(i, internal::NowMs());
    const Entry e = entries_[i];
    const int64_t ts = ts_[i];
    std::string data = e.kind == Kind::kCanary ? CanaryJson(i, ts) : docs_[e.doc].json;
    if (e.kind != Kind::kCanary) {
      if (o_.retime) {
        ReplaceString(&data, "dt", IsoTime(ts));
        ReplaceNumber(&data, "timestamp", ts / 1000);
      }
      // A repeat (--loop) or a retimed event is a new event: its meta.id gets a suffix, so Bronze
      // keeps it (retimed ids also name this server run, so a second run is new again).
      if (e.pass > 0 || o_.retime) {
        size_t k = data.find("\"id\":\"");
        if (k != std::string::npos) {
          size_t end = data.find('"', k + 6);
          if (end != std::string::npos) {
            data.insert(end, "~" + (o_.retime ? run_tag_ + "." : std::string()) + std::to_string(e.pass));
          }
        }
      }
    }
    switch (e.kind) {
      case Kind::kMalformed:
        data.resize(data.size() / 2);  // cut in the middle: not valid JSON
        break;
      case Kind::kInvalidUtf8: {
        size_t k = data.find("\"title\":\"");
        if (k == std::string::npos) k = data.find("\"dt\":\"");
        data.insert(k == std::string::npos ? 1 : data.find(':', k) + 2, "\xC3\x28");  // a broken 2-byte sequence
        break;
      }
      case Kind::kOversized:
        data.insert(1, "\"padding\":\"" + std::string(o_.oversized_bytes, 'x') + "\",");
        break;
      default:
        break;
    }
    *frame = "event: message\nid: [{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"timestamp\":" +
             std::to_string(ts + 1) + "},{\"topic\":\"codfw.mediawiki.recentchange\",\"partition\":0,\"offset\":-1}]\n" +
             "data: " + data + "\n\n";
    return true;
  }

  enum class Fault { kStall, kDrop };
  // True when a fault set to fire at every `every`th position is due at position i for the first
  // time (a client that reconnects gets past it).
  bool FaultDue(Fault fault, uint64_t every, uint64_t i) {
    if (every == 0 || (i + 1) % every != 0) return false;
    std::lock_guard<std::mutex> lock(mu_);
    return (fault == Fault::kStall ? stalled_ : dropped_).insert(i).second;
  }

 private:
  // Appends log entries until position i exists; false at the end of a non-looping recording.
  bool EnsureLocked(uint64_t i) {
    while (entries_.size() <= i) {
      if (!pending_.empty()) {
        entries_.push_back(pending_.front());
        pending_.erase(pending_.begin());
        continue;
      }
      if (next_doc_ == docs_.size()) {
        if (!o_.loop || docs_.empty()) return false;
        next_doc_ = 0;
        ++pass_;
      }
      const uint32_t doc = static_cast<uint32_t>(next_doc_++);
      entries_.push_back({doc, pass_, Kind::kEvent});
      ++real_;
      auto every = [&](uint64_t n, Kind k) {
        if (n && real_ % n == 0) pending_.push_back({doc, pass_, k});
      };
      every(o_.canary_every, Kind::kCanary);
      every(o_.malformed_every, Kind::kMalformed);
      every(o_.invalid_utf8_every, Kind::kInvalidUtf8);
      every(o_.oversized_every, Kind::kOversized);
    }
    return true;
  }

  // Gives positions up to i their timestamps. With --retime: the moment of sending, never
  // decreasing; like Kafka's, several events may share a millisecond, and a resume from the real
  // ids (timestamp + 1 ms) then skips the rest of that millisecond, as on the real stream: the
  // client must rewind (EventStreamClient does) and absorb the replayed ones. Without it: the
  // event's own time, made strictly increasing (recordings are not in time order, and a whole
  // file clamped to one millisecond would be unlike any real stream).
  void AssignLocked(uint64_t i, int64_t now) {
    while (ts_.size() <= i) {
      const Entry& e = entries_[ts_.size()];
      int64_t want = o_.retime ? now : (e.kind == Kind::kCanary ? 0 : docs_[e.doc].event_ms);
      int64_t prev = ts_.empty() ? 0 : ts_.back();
      ts_.push_back(o_.retime ? std::max(want, prev) : std::max(want, prev + 1));
    }
  }

  std::string CanaryJson(uint64_t i, int64_t ts) const {
    // The shape Wikimedia documents for its canary events (none are in the recordings).
    return "{\"$schema\":\"/mediawiki/recentchange/1.0.0\",\"meta\":{\"uri\":\"https://canary/wiki/Special:Canary\","
           "\"request_id\":\"" + UuidFrom(i * 2 + 1) + "\",\"id\":\"" + UuidFrom(i * 2) + "\",\"dt\":\"" + IsoTime(ts) +
           "\",\"domain\":\"canary\",\"stream\":\"mediawiki.recentchange\",\"topic\":\"eqiad.mediawiki.recentchange\","
           "\"partition\":0},\"type\":\"edit\",\"namespace\":0,\"title\":\"Special:Canary\",\"timestamp\":" +
           std::to_string(ts / 1000) + ",\"user\":\"Canary\",\"bot\":false,\"server_name\":\"canary\",\"wiki\":\"canary\"}";
  }

  const ReplayOptions& o_;
  std::vector<Doc> docs_;
  const std::string run_tag_;  // this server run's start (seconds), in retimed ids
  std::mutex mu_;
  std::vector<Entry> entries_;
  std::vector<int64_t> ts_;
  std::vector<Entry> pending_;  // fault and canary entries due after the last event
  std::unordered_set<uint64_t> stalled_, dropped_;  // positions whose fault already fired
  size_t next_doc_ = 0;
  uint32_t pass_ = 0;
  uint64_t real_ = 0;
};

bool LoadDocs(const std::vector<std::string>& files, std::vector<Doc>* docs, std::string* error) {
  internal::EventParser parser;
  internal::ParsedEvent event;
  std::string reason;
  for (const std::string& path : files) {
    std::unique_ptr<internal::ByteSource> source;
    internal::SourceInfo info;
    Status s = internal::OpenByteSource(path, &source, &info);
    if (!s.ok()) {
      *error = s.message();
      return false;
    }
    internal::DocumentSplitter splitter(source.get(), 64u << 20);
    internal::RawDocument raw;
    bool have = false;
    uint64_t skipped = 0;
    for (;;) {
      s = splitter.Next(&raw, &have);
      if (!s.ok()) {
        *error = path + ": " + s.message();
        return false;
      }
      if (!have) break;
      if (!raw.error.empty() || !parser.Parse(raw.data, raw.size, raw.capacity, &event, &reason)) {
        ++skipped;
        continue;
      }
      Doc& d = docs->emplace_back();
      d.event_ms = event.event_time_ms;
      d.json.resize(raw.size);
      size_t len = 0;
      if (simdjson::minify(raw.data, raw.size, d.json.data(), len) != simdjson::SUCCESS) {
        docs->pop_back();
        ++skipped;
        continue;
      }
      d.json.resize(len);
    }
    if (skipped) std::fprintf(stderr, "replay-server: %s: %" PRIu64 " unreadable documents skipped\n", path.c_str(), skipped);
  }
  if (docs->empty()) {
    *error = "no events in the given files";
    return false;
  }
  return true;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool SendChunk(int fd, std::string_view data) {
  char size[24];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return SendAll(fd, size) && SendAll(fd, data) && SendAll(fd, "\r\n");
}

struct Request {
  std::string method, path, query;
  std::map<std::string, std::string> headers;  // lower-case names
};

bool ReadRequest(int fd, Request* req) {
  std::string buf;
  char tmp[4096];
  while (buf.find("\r\n\r\n") == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return false;
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, static_cast<size_t>(n));
    // Not HTTP (a TLS ClientHello, say): hang up at once, as a plain-HTTP server would fail.
    if (!std::isupper(static_cast<unsigned char>(buf[0]))) return false;
    if (buf.size() > 16384) return false;
  }
  size_t eol = buf.find("\r\n");
  std::string first = buf.substr(0, eol);
  size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1) return false;
  req->method = first.substr(0, sp1);
  std::string target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t q = target.find('?');
  req->path = target.substr(0, q);
  req->query = q == std::string::npos ? "" : target.substr(q + 1);
  size_t pos = eol + 2;
  while (pos < buf.size()) {
    size_t e = buf.find("\r\n", pos);
    if (e == std::string::npos || e == pos) break;
    std::string line = buf.substr(pos, e - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t v = line.find_first_not_of(' ', colon + 1);
      req->headers[name] = v == std::string::npos ? "" : line.substr(v);
    }
    pos = e + 2;
  }
  return true;
}

std::string QueryParam(const std::string& query, const std::string& name) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string kv = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (kv.rfind(name + "=", 0) == 0) {
      std::string v = kv.substr(name.size() + 1), out;
      for (size_t i = 0; i < v.size(); ++i) {  // percent-decoding
        if (v[i] == '%' && i + 2 < v.size()) {
          out.push_back(static_cast<char>(std::stoi(v.substr(i + 1, 2), nullptr, 16)));
          i += 2;
        } else {
          out.push_back(v[i] == '+' ? ' ' : v[i]);
        }
      }
      return out;
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return "";
}

void SendError(int fd, int status, const std::string& title, double retry_after) {
  std::string body = "{\"status\":" + std::to_string(status) + ",\"title\":\"" + title + "\"}";
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + title +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n";
  if (retry_after >= 0) head += "Retry-After: " + std::to_string(static_cast<int64_t>(retry_after)) + "\r\n";
  SendAll(fd, head + "\r\n" + body);
}

class Server {
 public:
  Server(const ReplayOptions& o, ReplayLog* log, const std::atomic<bool>& stop) : o_(o), log_(log), stop_(stop) {}

  void Serve(int fd) {
    Request req;
    if (!ReadRequest(fd, &req)) return;
    const uint64_t request_no = requests_++;
    if (o_.fail_status && request_no < o_.fail_count) {
      SendError(fd, o_.fail_status, o_.fail_status == 429 ? "Too Many Requests" : "Injected Failure", o_.retry_after_s);
      Say("request %" PRIu64 ": injected HTTP %d", request_no, o_.fail_status);
      return;
    }
    if (req.method != "GET") return SendError(fd, 405, "Method Not Allowed", -1);
    if (req.path != "/v2/stream/recentchange" && req.path != "/v2/stream/mediawiki.recentchange") {
      return SendError(fd, 404, "Not Found", -1);
    }
    if (req.headers["user-agent"].empty()) return SendError(fd, 403, "Forbidden: a User-Agent is required", -1);
    if (active_.fetch_add(1) >= o_.max_connections) {
      --active_;
      return SendError(fd, 429, "Too Many Requests", 5);
    }
    uint64_t start = 0;
    const std::string& last_id = req.headers["last-event-id"];
    const std::string since = QueryParam(req.query, "since");
    if (!last_id.empty()) {
      start = log_->FindStart(internal::EventIdPosition(last_id));
    } else if (!since.empty()) {
      int64_t t = 0;
      bool digits = std::all_of(since.begin(), since.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits && since.size() < 19) t = std::stoll(since);
      else if (!internal::ParseIsoTime(since, &t)) {
        --active_;
        return SendError(fd, 400, "Bad Request: since must be epoch milliseconds or ISO-8601", -1);
      }
      start = log_->FindStart(t);
    }
    Say("connection: Last-Event-ID '%s' since '%s' -> position %" PRIu64, last_id.c_str(), since.c_str(), start);
    Stream(fd, start);
    --active_;
  }

 private:
  void Stream(int fd, uint64_t i) {
    const char* head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    if (!SendAll(fd, head) || !SendChunk(fd, ":ok\n\n")) return;
    const auto started = Clock::now();
    uint64_t sent = 0;
    std::string frame;
    auto end_cleanly = [&] { SendAll(fd, "0\r\n\r\n"); };
    while (!stop_) {
      if (o_.disconnect_every && sent >= o_.disconnect_every) return end_cleanly();
      if (o_.disconnect_after_s > 0 && std::chrono::duration<double>(Clock::now() - started).count() >= o_.disconnect_after_s) {
        return end_cleanly();
      }
      if (o_.rate > 0) {
        auto due = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(sent / o_.rate));
        if (due > Clock::now()) {
          std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::milliseconds(100)));
          continue;
        }
      }
      if (log_->FaultDue(ReplayLog::Fault::kStall, o_.stall_every, i)) {
        Say("position %" PRIu64 ": stalling %.1f s", i, o_.stall_s);
        auto until = Clock::now() + std::chrono::duration<double>(o_.stall_s);
        while (!stop_ && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!log_->Frame(i, &frame)) {  // the recording is over: stay connected, silent
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      if (log_->FaultDue(ReplayLog::Fault::kDrop, o_.drop_mid_event_every, i)) {
        Say("position %" PRIu64 ": dropping the connection mid-event", i);
        SendChunk(fd, std::string_view(frame).substr(0, frame.size() / 2));
        linger hard{1, 0};  // close with a TCP reset
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        return;
      }
      if (!SendChunk(fd, frame)) return;
      ++i;
      ++sent;
    }
    end_cleanly();
  }

  void Say(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    if (o_.quiet) return;
    va_list ap;
    va_start(ap, fmt);
    std::fputs("replay-server: ", stderr);
    std::vfprintf(stderr, fmt, ap);
    std::fputc('\n', stderr);
    va_end(ap);
  }

  const ReplayOptions& o_;
  ReplayLog* log_;
  const std::atomic<bool>& stop_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<int> active_{0};
};

}  // namespace

int RunReplayServer(const ReplayOptions& o, const std::atomic<bool>& stop) {
  std::vector<Doc> docs;
  std::string error;
  if (!LoadDocs(o.files, &docs, &error)) {
    std::fprintf(stderr, "litehouse replay-server: %s\n", error.c_str());
    return 1;
  }
  const size_t n_docs = docs.size();
  ReplayLog log(o, std::move(docs));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(o.port));
  if (::inet_pton(AF_INET, o.bind.c_str(), &addr.sin_addr) != 1) {
    std::fprintf(stderr, "litehouse replay-server: '%s' is not an IPv4 address\n", o.bind.c_str());
    return 2;
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0) {
    std::fprintf(stderr, "litehouse replay-server: cannot listen on %s:%d: %s\n", o.bind.c_str(), o.port, std::strerror(errno));
    ::close(fd);
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  if (!o.port_file.empty()) {
    std::string tmp = o.port_file + ".tmp";
    if (FILE* f = std::fopen(tmp.c_str(), "w")) {
      std::fprintf(f, "%d\n", port);
      std::fclose(f);
      std::rename(tmp.c_str(), o.port_file.c_str());
    }
  }
  std::printf("replay-server: %zu events; listening on http://%s:%d/v2/stream/recentchange\n", n_docs, o.bind.c_str(), port);
  std::fflush(stdout);

  Server server(o, &log, stop);
  std::vector<std::thread> threads;
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    int client = ::accept(fd, nullptr, nullptr);
    if (client < 0) continue;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval send_timeout{10, 0};  // a client that stops reading cannot hold a thread for ever
    setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    threads.emplace_back([&server, client] {
      server.Serve(client);
      ::close(client);
    });
  }
  ::close(fd);
  for (std::thread& t : threads) t.join();
  return 0;
}

bool ParseReplayArgs(const std::vector<std::string>& args, ReplayOptions* o, std::string* error) {
  OptionParser p;
  p.Flag("--retime", &o->retime);
  p.Flag("--loop", &o->loop);
  p.Flag("--quiet", &o->quiet);
  p.Text("--bind", [o](const std::string& v) { o->bind = v; });
  p.Text("--port-file", [o](const std::string& v) { o->port_file = v; });
  auto count = [&p](const char* name, uint64_t* field) {
    p.Number(name, [field](double v) { *field = static_cast<uint64_t>(v); });
  };
  p.Number("--port", [o](double v) { o->port = static_cast<int>(v); });
  p.Number("--rate", [o](double v) { o->rate = v; });
  p.Number("--disconnect-after", [o](double v) { o->disconnect_after_s = v; });
  p.Number("--stall-seconds", [o](double v) { o->stall_s = v; });
  p.Number("--fail-status", [o](double v) { o->fail_status = static_cast<int>(v); });
  p.Number("--retry-after", [o](double v) { o->retry_after_s = v; });
  p.Number("--max-connections", [o](double v) { o->max_connections = static_cast<int>(v); });
  count("--canary-every", &o->canary_every);
  count("--disconnect-every", &o->disconnect_every);
  count("--drop-mid-event-every", &o->drop_mid_event_every);
  count("--stall-every", &o->stall_every);
  count("--fail-count", &o->fail_count);
  count("--malformed-every", &o->malformed_every);
  count("--invalid-utf8-every", &o->invalid_utf8_every);
  count("--oversized-every", &o->oversized_every);
  count("--oversized-bytes", &o->oversized_bytes);
  if (!p.Parse(args, &o->files, error)) return false;
  if (o->files.empty()) {
    *error = "no files to replay";
    return false;
  }
  if (o->fail_status && o->fail_count == 0) o->fail_count = 1;
  return true;
}

}  // namespace litehouse::shell

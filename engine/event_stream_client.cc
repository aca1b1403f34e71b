#include "engine/event_stream_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>

#include "engine/curl_util.h"

namespace litehouse::internal {
namespace {

constexpr size_t kErrorBodyBytes = 2048;

// Per-connection state the curl callbacks see.
struct Transfer {
  SseParser* parser = nullptr;
  BoundedQueue<SseEvent>* queue = nullptr;
  const std::atomic<bool>* stop = nullptr;
  std::atomic<uint64_t>* bytes = nullptr;
  CURL* easy = nullptr;
  ConnectionOutcome* outcome = nullptr;
  bool status_known = false;
  bool streaming = false;  // HTTP 200 with an event stream
};

bool IsHeader(const char* line, size_t n, const char* name) {
  size_t len = std::strlen(name);
  if (n < len + 1 || line[len] != ':') return false;
  for (size_t i = 0; i < len; ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

std::string HeaderValue(const char* line, size_t n, size_t name_len) {
  std::string v(line + name_len + 1, n - name_len - 1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  return v;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (n >= 5 && std::memcmp(data, "HTTP/", 5) == 0) {
    t->outcome->retry_after_s = -1;  // a new response (after a redirect, say)
  } else if (IsHeader(data, n, "retry-after")) {
    std::string v = HeaderValue(data, n, 11);
    if (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      t->outcome->retry_after_s = std::min(86400.0, std::stod(v));
    } else {
      time_t when = curl_getdate(v.c_str(), nullptr);  // an HTTP date
      if (when > 0) t->outcome->retry_after_s = std::max(0.0, std::difftime(when, std::time(nullptr)));
    }
  }
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (!t->status_known) {
    t->status_known = true;
    long code = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
    t->outcome->http_status = code;
    t->streaming = code == 200;
  }
  t->bytes->fetch_add(n);
  if (!t->streaming) {
    size_t room = kErrorBodyBytes - std::min(kErrorBodyBytes, t->outcome->body.size());
    t->outcome->body.append(data, std::min(room, n));
    return n;
  }
  bool ok = true;
  t->parser->Feed(std::string_view(data, n), [&](SseEvent&& e) {
    if (!ok) return;
    ++t->outcome->events;
    size_t cost = e.data.size() + e.id.size() + 64;
    // Waits while the consumer is behind; fails only when the client is stopping.
    if (!t->queue->Push(std::move(e), cost)) ok = false;
  });
  return ok && !t->stop->load() ? n : 0;  // 0 aborts the transfer
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stop->load() ? 1 : 0;
}

std::string WithSince(const std::string& url, const std::string& since) {
  if (since.empty()) return url;
  std::unique_ptr<CURL, EasyDeleter> esc(curl_easy_init());
  char* e = curl_easy_escape(esc.get(), since.c_str(), static_cast<int>(since.size()));
  std::string out = url + (url.find('?') == std::string::npos ? "?" : "&") + "since=" + (e ? e : "");
  curl_free(e);
  return out;
}

}  // namespace

namespace {

// Calls fn(start, end, value) for every number that follows `"key":` in an EventStreams id
// (a JSON array of {topic, partition, timestamp|offset}); negative or huge values are skipped.
template <typename Fn>
void ForEachIdNumber(const std::string& id, std::string_view key, Fn fn) {
  const std::string pattern = "\"" + std::string(key) + "\":";
  size_t pos = 0;
  while ((pos = id.find(pattern, pos)) != std::string::npos) {
    size_t d = pos + pattern.size();
    while (d < id.size() && id[d] == ' ') ++d;
    size_t e = d;
    while (e < id.size() && std::isdigit(static_cast<unsigned char>(id[e]))) ++e;
    if (e > d && e - d < 19) fn(d, e, std::stoll(id.substr(d, e - d)));
    pos = e;
  }
}

}  // namespace

std::string RewindEventId(const std::string& id) {
  std::string out;
  size_t copied = 0;
  ForEachIdNumber(id, "timestamp", [&](size_t start, size_t end, int64_t ts) {
    out.append(id, copied, start - copied);
    out += std::to_string(ts > 0 ? ts - 1 : ts);
    copied = end;
  });
  out.append(id, copied, std::string::npos);
  return out;
}

int64_t EventIdPosition(const std::string& id) {
  int64_t best_ts = 0, best_offset = 0;
  ForEachIdNumber(id, "timestamp", [&](size_t, size_t, int64_t v) { best_ts = std::max(best_ts, v); });
  ForEachIdNumber(id, "offset", [&](size_t, size_t, int64_t v) { best_offset = std::max(best_offset, v); });
  return best_ts > 0 ? best_ts : best_offset;
}

ReconnectDecision DecideReconnect(const ConnectionOutcome& o, int attempt, double random01,
                                  const StreamClientOptions& options, int64_t server_retry_ms) {
  ReconnectDecision d;
  const long http = o.http_status;
  auto backoff = [&] {
    double ceiling = std::min(options.backoff_max_s, options.backoff_initial_s * std::pow(2.0, std::min(attempt, 30)));
    return random01 * ceiling;  // full jitter
  };
  std::string body = o.body.substr(0, 300);
  for (char& c : body) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (http == 401 || http == 403) {
    d.fatal = true;
    d.message = "the server refused the stream (HTTP " + std::to_string(http) +
                "). Wikimedia refuses requests without a User-Agent that names a contact: pass "
                "--contact you@example.org (or set LITEHOUSE_CONTACT)" +
                (body.empty() ? "" : ". It said: " + body);
    return d;
  }
  if (http == 404 || http == 410) {
    d.fatal = true;
    d.message = "the stream does not exist (HTTP " + std::to_string(http) + "): check --url" +
                (body.empty() ? "" : ". It said: " + body);
    return d;
  }
  if (http == 429 || http >= 500 || http == 408) {
    d.delay_s = std::max(o.retry_after_s, backoff());
    d.message = "HTTP " + std::to_string(http) + (http == 429 ? " (too many requests)" : " (server error)") +
                (o.retry_after_s >= 0 ? ", Retry-After " + std::to_string(static_cast<int>(o.retry_after_s)) + " s" : "");
    return d;
  }
  if (http >= 400 || (http != 200 && http >= 300 && o.curl_code == CURLE_OK)) {
    d.fatal = true;
    d.message = "the server answered HTTP " + std::to_string(http) + (body.empty() ? "" : ": " + body);
    return d;
  }
  if (o.events > 0 && (o.curl_code == CURLE_OK || o.curl_code == CURLE_PARTIAL_FILE ||
                       o.curl_code == CURLE_RECV_ERROR || o.curl_code == CURLE_OPERATION_TIMEDOUT)) {
    // A connection that delivered events and then ended — the routine disconnect, a reset, a
    // stall — reconnects at once (after the server's retry: hint, if it gave one).
    d.reset_backoff = true;
    double base = server_retry_ms >= 0 ? server_retry_ms / 1000.0 : options.backoff_initial_s;
    d.delay_s = random01 * std::min(base, options.backoff_max_s);
    d.message = o.curl_code == CURLE_OK ? "the server closed the stream"
                                        : std::string("the stream broke: ") + o.curl_error;
    return d;
  }
  d.delay_s = backoff();
  switch (o.curl_code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      d.message = "DNS: " + o.curl_error;
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      d.message = "TLS: " + o.curl_error + " (certificates are always verified; --ca-file adds a CA)";
      break;
    case CURLE_OPERATION_TIMEDOUT:
      d.message = "timed out: " + o.curl_error;
      break;
    default:
      d.message = o.curl_error.empty() ? "connection ended" : o.curl_error;
  }
  return d;
}

EventStreamClient::EventStreamClient(StreamClientOptions options)
    : options_(std::move(options)),
      queue_(options_.queue_events, options_.queue_bytes),
      parser_(options_.max_event_bytes) {
  parser_.set_last_event_id(options_.last_event_id);
}

EventStreamClient::~EventStreamClient() { Stop(); }

void EventStreamClient::Start() {
  CurlGlobalInitOnce();
  thread_ = std::thread([this] { Run(); });
}

void EventStreamClient::Stop() {
  stop_ = true;
  queue_.Close();  // a network thread waiting for room wakes up
  if (thread_.joinable()) thread_.join();
}

bool EventStreamClient::Pop(SseEvent* event, std::chrono::steady_clock::time_point deadline) {
  return queue_.PopUntil(event, deadline);
}

Status EventStreamClient::fatal() const {
  std::lock_guard<std::mutex> lock(fatal_mu_);
  return fatal_;
}

void EventStreamClient::Log(const std::string& line) {
  if (options_.log) options_.log(line);
}

void EventStreamClient::Run() {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int attempt = 0;
  while (!stop_) {
    const std::string& last = parser_.last_event_id();
    // ?since= until the first event arrives (a first connection may fail); after that the
    // stream position is the event id.
    std::string url = last.empty() ? WithSince(options_.url, options_.since) : options_.url;
    ConnectionOutcome o = Connect(url, last.empty() ? "" : RewindEventId(last));
    if (o.stopped || stop_) break;
    ReconnectDecision d = DecideReconnect(o, attempt, unit(rng), options_, parser_.retry_ms());
    if (d.fatal) {
      {
        std::lock_guard<std::mutex> lock(fatal_mu_);
        fatal_ = Status::IoError(d.message);
      }
      Log("fatal: " + d.message);
      break;
    }
    attempt = d.reset_backoff ? 0 : attempt + 1;
    char delay[32];
    std::snprintf(delay, sizeof delay, "%.2f", d.delay_s);
    Log(d.message + "; reconnecting in " + delay + " s");
    auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(d.delay_s);
    while (!stop_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!stop_) ++reconnects_;
  }
  ended_ = true;
  queue_.Close();
}

ConnectionOutcome EventStreamClient::Connect(const std::string& url, const std::string& last_event_id) {
  ConnectionOutcome outcome;
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  if (!easy || !multi) {
    outcome.curl_code = CURLE_OUT_OF_MEMORY;
    outcome.curl_error = "curl could not start";
    return outcome;
  }
  parser_.Reset();  // an event cut off by the last disconnect is never dispatched
  Transfer t;
  t.parser = &parser_;
  t.queue = &queue_;
  t.stop = &stop_;
  t.bytes = &bytes_;
  t.easy = easy.get();
  t.outcome = &outcome;

  curl_slist* raw_headers = curl_slist_append(nullptr, "Accept: text/event-stream");
  raw_headers = curl_slist_append(raw_headers, "Cache-Control: no-cache");
  if (!last_event_id.empty()) raw_headers = curl_slist_append(raw_headers, ("Last-Event-ID: " + last_event_id).c_str());
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_s * 1000));
  // A stall: fewer than 1 byte per second for stall_timeout seconds.
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, std::max(1L, static_cast<long>(std::lround(options_.stall_timeout_s))));
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, &t);

  Log("connecting to " + url + (last_event_id.empty() ? "" : " (Last-Event-ID " + last_event_id + ")"));
  curl_multi_add_handle(multi.get(), e);
  int running = 1;
  CURLcode result = CURLE_OK;
  while (running) {
    if (curl_multi_perform(multi.get(), &running) != CURLM_OK) break;
    if (!connected_ && outcome.http_status == 200) {
      connected_ = true;
      Log("connected");
    }
    if (stop_) {
      outcome.stopped = true;
      break;
    }
    if (running) curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr);
  }
  int left = 0;
  while (CURLMsg* m = curl_multi_info_read(multi.get(), &left)) {
    if (m->msg == CURLMSG_DONE) result = m->data.result;
  }
  curl_multi_remove_handle(multi.get(), e);
  connected_ = false;
  if (outcome.http_status == 0) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &outcome.http_status);
  if (outcome.http_status == 200 && !t.streaming && outcome.events == 0 && result == CURLE_OK) {
    t.streaming = true;  // an empty 200 body: the server closed at once
  }
  outcome.curl_code = result;
  outcome.curl_error = errbuf[0] ? errbuf : curl_easy_strerror(result);
  if (stop_) outcome.stopped = true;
  return outcome;
}

}  // namespace litehouse::internal

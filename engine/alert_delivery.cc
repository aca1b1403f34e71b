// DeliverAlerts: dq_alerts → an alert command and/or a webhook (libcurl), with retries.
#include <curl/curl.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "engine/curl_util.h"
#include "engine/sqlite_util.h"
#include "litehouse/quality.h"

namespace litehouse {
namespace {

using internal::Stmt;

// Alerts sent per call: a backlog drains over several rounds instead of blocking one for long.
constexpr int kAlertsPerRound = 50;
constexpr size_t kResponseBytesKept = 512;

Status RunCommand(const std::string& command, const std::string& payload) {
  FILE* pipe = ::popen(command.c_str(), "w");
  if (!pipe) return Status::IoError("cannot start the alert command");
  const bool written = std::fwrite(payload.data(), 1, payload.size(), pipe) == payload.size() &&
                       std::fputc('\n', pipe) != EOF;
  const int rc = ::pclose(pipe);
  if (!written) return Status::IoError("the alert command did not read its input");
  if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
    return Status::IoError("the alert command failed (exit status " +
                           std::to_string(WIFEXITED(rc) ? WEXITSTATUS(rc) : -1) + ")");
  }
  return Status::Ok();
}

size_t KeepResponse(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() < kResponseBytesKept) body->append(data, std::min(size * n, kResponseBytesKept - body->size()));
  return size * n;
}

Status PostWebhook(const AlertSinks& sinks, const std::string& payload) {
  internal::CurlGlobalInitOnce();
  std::unique_ptr<CURL, internal::EasyDeleter> easy(curl_easy_init());
  if (!easy) return Status::NoMemory("curl could not start");
  std::unique_ptr<curl_slist, internal::SlistDeleter> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"));
  std::string body;
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* e = easy.get();
  curl_easy_setopt(e, CURLOPT_URL, sinks.webhook_url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(e, CURLOPT_USERAGENT, "litehouse-alerts");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(sinks.timeout_s * 1000));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, KeepResponse);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
  const CURLcode rc = curl_easy_perform(e);
  if (rc != CURLE_OK) return Status::IoError(std::string("webhook: ") + (*errbuf ? errbuf : curl_easy_strerror(rc)));
  long code = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
  if (code < 200 || code > 299) {
    return Status::IoError("webhook: HTTP " + std::to_string(code) + (body.empty() ? "" : ": " + body));
  }
  return Status::Ok();
}

// One sink, with retries.
Status WithRetries(const AlertSinks& sinks, const std::function<Status()>& send) {
  const int attempts = std::max(1, sinks.attempts);
  double delay = sinks.retry_delay_s;
  Status s;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    s = send();
    if (s.ok() || attempt == attempts) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    delay *= 2;
  }
  return s;
}

}  // namespace

Status DeliverAlerts(sqlite3* db, const AlertSinks& sinks, uint64_t* delivered, uint64_t* failed) {
  if (delivered) *delivered = 0;
  if (failed) *failed = 0;
  if (sinks.empty()) return Status::Ok();
  // Read the batch first: no statement stays open (nor a transaction) while sinks run.
  std::vector<std::pair<int64_t, std::string>> pending;
  {
    Stmt q;
    Status s = q.Prepare(db, "SELECT alert_id, payload FROM dq_alerts WHERE delivered_at IS NULL ORDER BY alert_id LIMIT " +
                                 std::to_string(kAlertsPerRound));
    if (!s.ok()) return s;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) pending.emplace_back(q.ColumnInt(0), q.ColumnText(1));
    if (rc != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
  }
  Stmt done, missed;
  Status s = done.Prepare(db, "UPDATE dq_alerts SET delivered_at = strftime('%Y-%m-%d %H:%M:%f', 'now'), "
                              "attempts = attempts + 1, delivery_error = NULL WHERE alert_id = ?");
  if (s.ok()) {
    s = missed.Prepare(db, "UPDATE dq_alerts SET attempts = attempts + 1, delivery_error = ? WHERE alert_id = ?");
  }
  if (!s.ok()) return s;
  for (const auto& alert : pending) {
    // (Named, not a structured binding: clang 14 cannot capture those in the lambdas below.)
    const int64_t id = alert.first;
    const std::string& payload = alert.second;
    Status sent = Status::Ok();
    if (!sinks.command.empty()) sent = WithRetries(sinks, [&] { return RunCommand(sinks.command, payload); });
    if (!sinks.webhook_url.empty()) {
      Status posted = WithRetries(sinks, [&] { return PostWebhook(sinks, payload); });
      if (sent.ok()) sent = posted;
    }
    Stmt& update = sent.ok() ? done : missed;
    int i = 1;
    if (!sent.ok()) update.BindText(i++, sent.message());
    update.BindInt(i, id);
    if (update.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
    update.Reset();
    if (sent.ok() && delivered) ++*delivered;
    if (!sent.ok() && failed) ++*failed;
  }
  return Status::Ok();
}

}  // namespace litehouse

// RunLive: EventStreams → Bronze (batches committed at least every commit_interval_s, each with
// the SSE id it reached) → Silver and Gold (refreshed behind every commit, in their own
// transactions). The network runs on the client's thread; parsing, compression and SQLite on
// the caller's.
#include "litehouse/live.h"

#include "engine/sqlite_api.h"
#include <curl/curl.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <set>

#include "engine/bronze_codec.h"
#include "engine/bronze_writer.h"
#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/event_stream_client.h"
#include "engine/log_histogram.h"
#include "engine/sqlite_util.h"
#include "engine/time_util.h"
#include "litehouse/pipeline.h"
#include "litehouse/sql.h"

namespace litehouse {
namespace {

using Clock = std::chrono::steady_clock;
using internal::Stmt;

double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Percentile of unsorted samples (nth_element on a copy).
double Percentile(std::vector<int64_t> v, double p) {
  if (v.empty()) return -1;
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]);
}

// One wall-clock minute of counters: a row of ingest_stats.
struct Minute {
  std::string minute;  // 'YYYY-MM-DD HH:MM'
  uint64_t events = 0, bytes = 0, inserted = 0, duplicates = 0, rejects = 0, filtered = 0, canaries = 0;
  uint64_t reconnects = 0, batches = 0, refreshes = 0;
  double commit_ms_sum = 0, commit_ms_max = 0, refresh_ms_sum = 0, refresh_ms_max = 0;
  std::vector<int64_t> freshness_ms;  // bounded: see kMaxFreshnessSamples
};
constexpr size_t kMaxFreshnessSamples = 200000;  // a minute at 3,300 events/s; then every other
constexpr size_t kMaxBatchEvents = 20000;        // a batch also ends at this many events
constexpr size_t kMaxUnrefreshed = 1000000;      // Bronze rows waiting for Gold: then refresh
constexpr size_t kMaxTrainingSamples = 2 * internal::BronzeCompressor::kTrainingSamples;

std::string MinuteOf(int64_t now_ms) { return internal::FormatTime(now_ms).substr(0, 16); }

class LiveLoop {
 public:
  LiveLoop(sqlite3* db, const LiveOptions& options, const std::atomic<bool>& stop)
      : db_(db), options_(options), stop_(stop) {}

  Status Run(LiveStatus* out);

 private:
  Status OpenSource();
  Status Prepare();
  void Handle(internal::SseEvent&& e, internal::BronzeBatch* batch);
  void Reject(const internal::SseEvent& e, const std::string& reason, internal::BronzeBatch* batch);
  bool Keep(const internal::ParsedEvent& p) const;
  Status Commit(internal::BronzeBatch* batch);
  Status RefreshLayers();
  Status WriteMinute(const Minute& m);
  void PollTraining(internal::BronzeBatch* batch);
  void ReportStatus();
  void Log(const std::string& line);

  sqlite3* db_;
  const LiveOptions& options_;
  const std::atomic<bool>& stop_;
  std::unique_ptr<internal::EventStreamClient> client_;
  int64_t source_id_ = 0;
  uint64_t position_ = 0;  // SSE events committed from this source, ever
  std::string resume_id_;  // the SSE id of the last committed event
  std::unique_ptr<internal::BronzeWriter> writer_;  // made once the source id is known
  Stmt stream_state_, minute_upsert_, held_batches_;
  internal::EventParser parser_;
  internal::ParsedEvent parsed_;
  internal::BronzeCompressor compressor_;
  std::vector<std::string> training_samples_;
  std::future<std::string> training_;
  size_t training_size_ = 0;

  LiveStatus status_;
  Minute minute_;
  uint64_t reconnects_seen_ = 0, bytes_seen_ = 0;
  internal::LogHistogram run_freshness_ms_;  // the whole run, for the final figures
  std::vector<int64_t> unrefreshed_times_;  // event times of Bronze rows not yet in Gold
  int64_t newest_event_ms_ = INT64_MIN, last_canary_ms_ = INT64_MIN, last_event_wall_ms_ = INT64_MIN;
  Clock::time_point last_refresh_ = Clock::time_point::min(), last_report_ = Clock::now();
  Clock::time_point next_alert_round_ = Clock::time_point::min();  // undelivered alerts wait for it
  std::deque<std::pair<Clock::time_point, uint64_t>> rate_window_;
  std::mutex log_mu_;
  std::string last_error_;
};

void LiveLoop::Log(const std::string& line) {
  {
    std::lock_guard<std::mutex> lock(log_mu_);
    if (line.rfind("connect", 0) != 0 && line.rfind("resuming", 0) != 0) last_error_ = line;
  }
  if (options_.on_log) options_.on_log(line);
}

Status LiveLoop::OpenSource() {
  // The stream's name is its URL without the query (?since= is a starting point, not a stream).
  std::string name = options_.url.substr(0, options_.url.find('?'));
  Stmt q;
  Status s = q.Prepare(db_, "SELECT source_id, kind, position, coalesce(scanner_state, '') FROM lh_sources WHERE name = ?");
  if (!s.ok()) return s;
  q.BindText(1, name);
  if (q.Step() == SQLITE_ROW) {
    if (q.ColumnText(1) != "stream") return Status::InvalidArgument("'" + name + "' is a file source, not a stream");
    source_id_ = q.ColumnInt(0);
    position_ = static_cast<uint64_t>(q.ColumnInt(2));
    resume_id_ = q.ColumnText(3);
    return Status::Ok();
  }
  Stmt ins;
  s = ins.Prepare(db_, "INSERT INTO lh_sources (name, kind, updated_at) VALUES (?, 'stream', ?)");
  if (!s.ok()) return s;
  ins.BindText(1, name);
  ins.BindText(2, internal::FormatTime(internal::NowMs()));
  if (ins.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db_));
  source_id_ = sqlite3_last_insert_rowid(db_);
  return Status::Ok();
}

Status LiveLoop::Prepare() {
  writer_ = std::make_unique<internal::BronzeWriter>(db_, source_id_);
  Status s = writer_->Prepare();
  if (s.ok()) {
    s = stream_state_.Prepare(
        db_,
        "INSERT INTO lh_stream_state (source_id, last_event_at, last_canary_at, connected, reconnects, last_error, "
        "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (source_id) DO UPDATE SET "
        "last_event_at = coalesce(excluded.last_event_at, last_event_at), "
        "last_canary_at = coalesce(excluded.last_canary_at, last_canary_at), connected = excluded.connected, "
        "reconnects = reconnects + excluded.reconnects, last_error = coalesce(excluded.last_error, last_error), "
        "updated_at = excluded.updated_at");
  }
  if (s.ok()) {
    s = minute_upsert_.Prepare(
        db_,
        "INSERT OR REPLACE INTO ingest_stats (minute, source_id, events, bytes, inserted, duplicates, rejects, "
        "filtered, canaries, reconnects, batches, commit_ms_avg, commit_ms_max, refreshes, refresh_ms_avg, "
        "refresh_ms_max, freshness_p50_ms, freshness_p95_ms, freshness_p99_ms, freshness_max_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)");
  }
  if (s.ok()) s = held_batches_.Prepare(db_, "SELECT count(*) FROM dq_held_batches");
  if (s.ok()) s = compressor_.Load(db_);
  return s;
}

bool LiveLoop::Keep(const internal::ParsedEvent& p) const {
  auto in = [](const std::vector<std::string>& list, std::string_view v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  if (!options_.wikis.empty()) {
    bool match = false;
    for (const std::string& w : options_.wikis) {
      if (p.wiki == w || (p.wiki.size() == w.size() + 4 && p.wiki.substr(0, w.size()) == w &&
                          p.wiki.substr(w.size()) == "wiki")) {
        match = true;
        break;
      }
    }
    if (!match) return false;
  }
  if (!options_.domains.empty() && !in(options_.domains, p.domain)) return false;
  if (!options_.types.empty() && !in(options_.types, p.type)) return false;
  return true;
}

void LiveLoop::Reject(const internal::SseEvent& e, const std::string& reason, internal::BronzeBatch* batch) {
  internal::PendingReject& r = batch->rejects.emplace_back();
  // bronze_rejects keeps one row per (source, offset). Events share a Kafka millisecond, so a
  // stream's reject is keyed by a hash of its id and bytes instead: a redelivery of the same
  // broken event is stored once, different ones never collide (the id is in the reason).
  r.offset = internal::Fnv1a64(e.id + '\n' + e.data) >> 2;
  r.reason = reason + (e.id.empty() ? "" : " (SSE id " + e.id.substr(0, 300) + ")");
  r.raw = e.data.substr(0, internal::SseParser::kKeptBytes);
}

void LiveLoop::Handle(internal::SseEvent&& e, internal::BronzeBatch* batch) {
  ++status_.received;
  ++minute_.events;
  ++batch->documents;
  ++position_;
  batch->position = position_;
  if (!e.id.empty()) batch->state = e.id;
  if (e.type == "error") {
    ++status_.error_events;
    Log("the server sent an error event: " + e.data.substr(0, 300));
    return;
  }
  if (e.type != "message") return;  // EventStreams sends only these two
  if (e.oversized) {
    Reject(e,
           "event of " + std::to_string(e.data_bytes) + " bytes is over the limit of " +
               std::to_string(options_.max_event_bytes) + " bytes; its first 4 KiB are kept",
           batch);
    return;
  }
  std::string reason;
  e.data.reserve(e.data.size() + simdjson::SIMDJSON_PADDING);
  if (!parser_.Parse(e.data.data(), e.data.size(), e.data.capacity(), &parsed_, &reason)) {
    Reject(e, reason, batch);
    return;
  }
  const bool canary = parsed_.domain == "canary";
  if (canary) {
    ++status_.canaries;
    ++minute_.canaries;
    last_canary_ms_ = std::max(last_canary_ms_, parsed_.event_time_ms);
  } else if (!Keep(parsed_)) {
    ++status_.filtered;
    ++minute_.filtered;
    return;
  }
  // Offsets order a stream's rows; an id without a timestamp falls back to the arrival count.
  int64_t offset = e.id.empty() ? 0 : internal::EventIdPosition(e.id);
  if (offset <= 0) offset = static_cast<int64_t>(position_);
  internal::PendingEvent& p = batch->events.emplace_back();
  p.event_id = parsed_.meta_id.empty() ? batch->bytes.Append(internal::ContentEventId(e.data))
                                       : batch->bytes.Append(parsed_.meta_id);
  p.offset = static_cast<uint64_t>(offset);
  p.topic = batch->bytes.Append(parsed_.topic);
  p.partition = parsed_.partition;
  p.kafka_offset = parsed_.kafka_offset;
  p.event_time_ms = parsed_.event_time_ms;
  p.domain = batch->bytes.Append(parsed_.domain);
  if (training_samples_.size() < kMaxTrainingSamples && compressor_.ShouldTrain(kMaxTrainingSamples)) {
    training_samples_.push_back(e.data);
  }
  Status s = compressor_.Compress(e.data, &batch->bytes, &p.payload);
  if (!s.ok()) {
    batch->events.pop_back();
    Reject(e, "cannot compress: " + s.message(), batch);
    return;
  }
}

void LiveLoop::PollTraining(internal::BronzeBatch* batch) {
  if (training_.valid()) {
    if (training_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    std::string dict = training_.get();
    if (compressor_.Use(dict, training_size_)) {
      // Stored in the batch whose events are the first to use it.
      batch->dictionary = std::move(dict);
      batch->dictionary_samples = training_size_;
    }
    if (!compressor_.ShouldTrain(kMaxTrainingSamples)) std::vector<std::string>().swap(training_samples_);
    return;
  }
  // (An attempt that yields no dictionary — too little variety — is retried on twice the samples.)
  if (!training_samples_.empty() && compressor_.ShouldTrain(training_samples_.size()) &&
      training_samples_.size() >= 2 * training_size_) {
    // Training takes up to a second on thousands of events: off this thread, so commits go on.
    training_size_ = training_samples_.size();
    training_ = std::async(std::launch::async, [samples = training_samples_] {
      std::vector<std::string_view> views(samples.begin(), samples.end());
      return internal::BronzeCompressor::TrainDictionary(views);
    });
  }
}

Status LiveLoop::WriteMinute(const Minute& m) {
  auto avg = [](double sum, uint64_t n) { return n ? sum / static_cast<double>(n) : 0.0; };
  Stmt& u = minute_upsert_;
  u.BindText(1, m.minute);
  u.BindInt(2, source_id_);
  const uint64_t counts[] = {m.events, m.bytes, m.inserted, m.duplicates, m.rejects, m.filtered, m.canaries,
                             m.reconnects, m.batches};
  for (int i = 0; i < 9; ++i) u.BindInt(3 + i, static_cast<int64_t>(counts[i]));
  sqlite3_bind_double(u.get(), 12, avg(m.commit_ms_sum, m.batches));
  sqlite3_bind_double(u.get(), 13, m.commit_ms_max);
  u.BindInt(14, static_cast<int64_t>(m.refreshes));
  sqlite3_bind_double(u.get(), 15, avg(m.refresh_ms_sum, m.refreshes));
  sqlite3_bind_double(u.get(), 16, m.refresh_ms_max);
  const double ps[] = {0.5, 0.95, 0.99, 1.0};
  for (int i = 0; i < 4; ++i) {
    if (m.freshness_ms.empty()) u.BindNull(17 + i);
    else sqlite3_bind_double(u.get(), 17 + i, Percentile(m.freshness_ms, ps[i]));
  }
  int rc = u.Step();
  u.Reset();
  return rc == SQLITE_DONE ? Status::Ok() : Status::SqlError(std::string("ingest_stats: ") + sqlite3_errmsg(db_));
}

Status LiveLoop::Commit(internal::BronzeBatch* batch) {
  const auto started = Clock::now();
  const int64_t now_ms = internal::NowMs();
  if (!batch->events.empty()) batch->events.back().sse_id = batch->bytes.Append(batch->state);
  if (batch->documents > 0) last_event_wall_ms_ = now_ms;
  // Counters from the network thread.
  uint64_t reconnects = client_->reconnects() - reconnects_seen_, bytes = client_->bytes_received() - bytes_seen_;
  reconnects_seen_ += reconnects;
  bytes_seen_ += bytes;
  status_.reconnects += reconnects;
  status_.bytes += bytes;
  // A new minute: the old one's row is final.
  const std::string minute = MinuteOf(now_ms);
  Minute finished;
  if (minute_.minute != minute) {
    finished = std::move(minute_);
    minute_ = Minute();
    minute_.minute = minute;
  }
  minute_.reconnects += reconnects;
  minute_.bytes += bytes;

  internal::Transaction txn(db_);
  Status s = txn.Begin();
  internal::BronzeWriteResult written;
  std::vector<char> inserted;
  if (s.ok()) s = writer_->Write(*batch, &written, &inserted);
  if (s.ok() && !finished.minute.empty()) s = WriteMinute(finished);
  if (s.ok()) {
    std::string last_error;
    {
      std::lock_guard<std::mutex> lock(log_mu_);
      last_error.swap(last_error_);
    }
    Stmt& st = stream_state_;
    st.BindInt(1, source_id_);
    if (last_event_wall_ms_ == INT64_MIN) st.BindNull(2); else st.BindText(2, internal::FormatTime(last_event_wall_ms_));
    if (last_canary_ms_ == INT64_MIN) st.BindNull(3); else st.BindText(3, internal::FormatTime(last_canary_ms_));
    st.BindInt(4, client_->connected() ? 1 : 0);
    st.BindInt(5, static_cast<int64_t>(reconnects));
    if (last_error.empty()) st.BindNull(6); else st.BindText(6, last_error);
    st.BindText(7, internal::FormatTime(now_ms));
    int rc = st.Step();
    st.Reset();
    if (rc != SQLITE_DONE) s = Status::SqlError(std::string("lh_stream_state: ") + sqlite3_errmsg(db_));
    if (!last_error.empty()) status_.last_error = last_error;
  }
  // The row written here has this batch's counts; its commit time reaches the row with the
  // next write (a transaction cannot record its own duration).
  minute_.inserted += written.inserted;
  minute_.duplicates += written.duplicates;
  minute_.rejects += written.rejects;
  ++minute_.batches;
  if (s.ok()) s = WriteMinute(minute_);
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return s;
  const double commit_ms = SecondsSince(started) * 1000;
  minute_.commit_ms_sum += commit_ms;
  minute_.commit_ms_max = std::max(minute_.commit_ms_max, commit_ms);
  status_.inserted += written.inserted;
  status_.duplicates += written.duplicates;
  status_.rejects += written.rejects;
  ++status_.batches;
  newest_event_ms_ = std::max(newest_event_ms_, written.newest_event_ms);
  for (size_t i = 0; i < batch->events.size(); ++i) {
    if (inserted[i] && batch->View(batch->events[i].domain) != "canary") unrefreshed_times_.push_back(batch->events[i].event_time_ms);
  }
  return Status::Ok();
}

Status LiveLoop::RefreshLayers() {
  const auto started = Clock::now();
  RefreshStats rs;
  Status s = Refresh(db_, &rs);
  if (!s.ok()) return s;
  // Holds, releases, FAILs and ERRORs are logged (dq_alerts keeps them all; WARNs are only
  // counted here: a replay of old recordings would warn about arrival latency at every refresh).
  for (const std::string& line : rs.dq_lines) {
    if (line.rfind("WARN ", 0) != 0) Log("dq: " + line);
  }
  if (!options_.alerts.empty() && (rs.dq_failed + rs.dq_warned > 0 || Clock::now() >= next_alert_round_)) {
    uint64_t sent = 0, unsent = 0;
    s = DeliverAlerts(db_, options_.alerts, &sent, &unsent);
    if (!s.ok()) return s;
    if (sent) Log("dq: " + std::to_string(sent) + " alert(s) delivered");
    if (unsent) Log("dq: " + std::to_string(unsent) + " alert(s) not delivered (dq_alerts.delivery_error); retrying later");
    next_alert_round_ = unsent ? Clock::now() + std::chrono::seconds(30) : Clock::time_point::max();
  }
  // The status line's "dq": the worst result of the latest refresh's checks, and batches held.
  if (rs.dq_checks > 0) {
    status_.last_dq = rs.dq_failed ? "FAIL" : rs.dq_warned ? "WARN" : "PASS";
    if (held_batches_.Step() == SQLITE_ROW && held_batches_.ColumnInt(0) > 0) {
      status_.last_dq += " (" + std::to_string(held_batches_.ColumnInt(0)) + " held)";
    }
    held_batches_.Reset();
  }
  if (rs.held_batches > 0 && options_.stop_on_held_batch) {
    return Status::InvalidArgument("a blocking data-quality rule held a batch in Bronze, and --dq-policy is stop "
                                   "(dq_held_batches and dq_results say which and why)");
  }
  const int64_t done_ms = internal::NowMs();
  double ms = SecondsSince(started) * 1000;
  ++status_.refreshes;
  ++minute_.refreshes;
  minute_.refresh_ms_sum += ms;
  minute_.refresh_ms_max = std::max(minute_.refresh_ms_max, ms);
  for (int64_t t : unrefreshed_times_) {
    if (minute_.freshness_ms.size() >= kMaxFreshnessSamples) {
      // Keep every other sample: percentiles stay honest, memory stays bounded.
      for (size_t i = 0; i < minute_.freshness_ms.size() / 2; ++i) minute_.freshness_ms[i] = minute_.freshness_ms[2 * i];
      minute_.freshness_ms.resize(minute_.freshness_ms.size() / 2);
    }
    minute_.freshness_ms.push_back(done_ms - t);
    run_freshness_ms_.Add(static_cast<double>(done_ms - t));
  }
  unrefreshed_times_.clear();
  last_refresh_ = Clock::now();
  return Status::Ok();
}

void LiveLoop::ReportStatus() {
  const auto now = Clock::now();
  rate_window_.emplace_back(now, status_.received);
  while (rate_window_.size() > 2 && std::chrono::duration<double>(now - rate_window_.front().first).count() > 5) {
    rate_window_.pop_front();
  }
  double span = std::chrono::duration<double>(now - rate_window_.front().first).count();
  status_.events_per_s = span > 0.2 ? (status_.received - rate_window_.front().second) / span : 0;
  const int64_t now_ms = internal::NowMs();
  status_.connected = client_->connected();
  status_.lag_s = newest_event_ms_ == INT64_MIN ? -1 : (now_ms - newest_event_ms_) / 1000.0;
  status_.since_last_event_s = last_event_wall_ms_ == INT64_MIN ? -1 : (now_ms - last_event_wall_ms_) / 1000.0;
  status_.since_last_canary_s = last_canary_ms_ == INT64_MIN ? -1 : (now_ms - last_canary_ms_) / 1000.0;
  status_.since_last_refresh_s = last_refresh_ == Clock::time_point::min() ? -1 : SecondsSince(last_refresh_);
  status_.freshness_p50_s = minute_.freshness_ms.empty() ? -1 : Percentile(minute_.freshness_ms, 0.5) / 1000.0;
  status_.freshness_p99_s = minute_.freshness_ms.empty() ? -1 : Percentile(minute_.freshness_ms, 0.99) / 1000.0;
  status_.run_freshness_p50_s = run_freshness_ms_.Quantile(0.5) / 1000.0;
  status_.run_freshness_p99_s = run_freshness_ms_.Quantile(0.99) / 1000.0;
  status_.run_freshness_max_s = run_freshness_ms_.Quantile(1.0) / 1000.0;
  last_report_ = now;
  if (options_.on_status) options_.on_status(status_);
}

Status LiveLoop::Run(LiveStatus* out) {
  Status s = EnsureSchema(db_);
  if (s.ok()) s = internal::Exec(db_, internal::kWriterPragmas);
  if (s.ok()) s = OpenSource();
  if (s.ok()) s = Prepare();
  if (!s.ok()) return s;
  minute_.minute = MinuteOf(internal::NowMs());

  internal::StreamClientOptions co;
  co.url = options_.url;
  co.user_agent = LiveUserAgent(options_.contact);
  co.last_event_id = resume_id_;
  co.since = resume_id_.empty() ? options_.since : "";
  co.ca_file = options_.ca_file;
  co.stall_timeout_s = options_.stall_timeout_s;
  co.backoff_initial_s = options_.backoff_initial_s;
  co.backoff_max_s = options_.backoff_max_s;
  co.max_event_bytes = options_.max_event_bytes;
  co.log = [this](const std::string& line) { Log(line); };
  client_ = std::make_unique<internal::EventStreamClient>(co);
  if (!resume_id_.empty()) Log("resuming after SSE id " + resume_id_);
  // Bronze rows an earlier run committed and did not refresh (it was killed in between) are
  // refreshed now, not when this run's first events arrive: the stream may stay quiet, and a run
  // stopped before then would leave Silver and Gold behind Bronze.
  int64_t behind = 0;
  s = internal::QueryInt(db_, "SELECT (SELECT coalesce(max(bronze_id), 0) FROM bronze_events) > "
                              "(SELECT value FROM lh_state WHERE key = 'silver_watermark')", &behind);
  if (s.ok() && behind) {
    Log("refreshing the Bronze rows an earlier run left unrefreshed");
    s = RefreshLayers();
  }
  if (!s.ok()) return s;
  client_->Start();

  const auto started = Clock::now();
  const auto commit_every = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options_.commit_interval_s));
  Status result;
  for (;;) {
    const bool limit = (options_.stop_after_events && status_.inserted >= options_.stop_after_events) ||
                       (options_.stop_after_s > 0 && SecondsSince(started) >= options_.stop_after_s);
    if (stop_ || limit) break;
    internal::BronzeBatch batch;
    batch.state = resume_id_;  // an event without an id keeps the last position
    batch.position = position_;
    PollTraining(&batch);
    Clock::time_point batch_started;
    bool any = false;
    for (;;) {
      auto deadline = any ? batch_started + commit_every : Clock::now() + std::chrono::milliseconds(200);
      internal::SseEvent e;
      if (!client_->Pop(&e, deadline)) break;
      if (!any) {
        any = true;
        batch_started = Clock::now();
      }
      Handle(std::move(e), &batch);
      if (batch.events.size() + batch.rejects.size() >= kMaxBatchEvents || stop_) break;
    }
    if (any || !batch.dictionary.empty()) {
      result = Commit(&batch);
      if (!result.ok()) break;
      resume_id_ = batch.state;
    }
    // (A long --refresh-every at a high rate must not let the freshness clock grow unbounded.)
    const bool due = options_.refresh_interval_s <= 0 || last_refresh_ == Clock::time_point::min() ||
                     SecondsSince(last_refresh_) >= options_.refresh_interval_s ||
                     unrefreshed_times_.size() >= kMaxUnrefreshed;
    if (!unrefreshed_times_.empty() && due) {
      result = RefreshLayers();
      if (!result.ok()) break;
    }
    if (any || SecondsSince(last_report_) >= 1) ReportStatus();
    if (client_->ended() && !any) {
      result = client_->fatal();
      break;
    }
  }
  client_->Stop();  // what is still queued was not committed: a restart fetches it again
  if (training_.valid()) training_.wait();
  // Finish: the last refresh, and this minute's row.
  if (result.ok() && !unrefreshed_times_.empty()) result = RefreshLayers();
  if (result.ok()) {
    internal::Transaction txn(db_);
    result = txn.Begin();
    if (result.ok()) result = WriteMinute(minute_);
    if (result.ok()) result = internal::Exec(db_, "UPDATE lh_stream_state SET connected = 0 WHERE source_id = " +
                                                      std::to_string(source_id_));
    if (result.ok()) result = txn.Commit();
  }
  ReportStatus();
  if (out) *out = status_;
  return result;
}

}  // namespace

std::string LiveUserAgent(const std::string& contact) {
  return std::string("litehouse/") + Version() + " (a lakehouse in one SQLite file; " +
         (contact.empty() ? std::string("no contact given") : contact) + ") libcurl/" +
         curl_version_info(CURLVERSION_NOW)->version;
}

std::string LiveStatus::ToLine() const {
  char buf[512];
  auto secs = [](double v) {
    if (v < 0) return std::string("-");
    char b[32];
    std::snprintf(b, sizeof b, v < 10 ? "%.2fs" : "%.0fs", v);
    return std::string(b);
  };
  std::snprintf(buf, sizeof buf,
                "%s %.0f ev/s | lag %s | fresh p50 %s p99 %s | new %" PRIu64 " dup %" PRIu64 " rej %" PRIu64
                " | reconnects %" PRIu64 " | refresh %s ago | canary %s ago | dq %s",
                connected ? "live" : "offline", events_per_s, secs(lag_s).c_str(), secs(freshness_p50_s).c_str(),
                secs(freshness_p99_s).c_str(), inserted, duplicates, rejects, reconnects,
                secs(since_last_refresh_s).c_str(), secs(since_last_canary_s).c_str(),
                last_dq.empty() ? "-" : last_dq.c_str());
  return buf;
}

// One live loop per database file: two would interleave their stream positions. An advisory
// lock on "<db>-live.lock" (released by the kernel if the process dies, so a kill -9 leaves no
// stale lock).
class LiveLock {
 public:
  Status Acquire(sqlite3* db) {
    const char* path = sqlite3_db_filename(db, "main");
    if (!path || !*path) return Status::Ok();  // an in-memory database has no other writer
    const std::string lock_path = std::string(path) + "-live.lock";
    fd_ = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IoError("cannot open " + lock_path + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::InvalidArgument("another live loop is already following " + std::string(path) +
                                     " (one per database; stop it first)");
    }
    return Status::Ok();
  }
  ~LiveLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  int fd_ = -1;
};

Status RunLive(sqlite3* db, const LiveOptions& options, const std::atomic<bool>& stop, LiveStatus* status) {
  LiveLock lock;
  Status s = lock.Acquire(db);
  if (!s.ok()) return s;
  LiveLoop loop(db, options, stop);
  return loop.Run(status);
}

}  // namespace litehouse

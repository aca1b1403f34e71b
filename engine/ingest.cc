// IngestFile: a file of recentchange events → bronze_events, exactly once.
//
// Each batch (rows, rejects, and the file position reached) is one transaction, so after a crash
// the next run resumes at the last committed position and nothing is lost or doubled; a second
// delivery of an event_id adds no row (ON CONFLICT DO NOTHING) and is counted as a duplicate.
//
// Two threads share the work: a reader thread decompresses, frames, parses and zstd-compresses
// batches; the calling thread only writes them to SQLite. A queue of two batches between them
// bounds memory: a slow disk slows the reader, it never grows the queue.
#include "engine/sqlite_api.h"

#include <chrono>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "engine/bronze_codec.h"
#include "engine/byte_source.h"
#include "engine/document_splitter.h"
#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/json_writer.h"
#include "engine/sqlite_util.h"
#include "engine/time_util.h"
#include "litehouse/pipeline.h"

namespace litehouse {
namespace {

using internal::Stmt;

struct PendingEvent {
  std::string event_id;
  uint64_t offset = 0;
  std::string topic;
  std::optional<int64_t> partition, kafka_offset;
  int64_t event_time_ms = 0;
  std::string domain;
  std::string raw;      // the original bytes, until compressed
  std::string payload;  // the zstd frame written to Bronze
};

struct PendingReject {
  uint64_t offset = 0;
  uint64_t line = 0;
  std::string reason;
  std::string raw;
};

// What the reader thread hands the writer: one transaction's worth.
struct Batch {
  std::vector<PendingEvent> events;
  std::vector<PendingReject> rejects;
  uint64_t documents = 0;
  uint64_t position = 0;      // where a later run resumes once this batch is committed
  std::string state;
  bool complete = false;      // the last batch of the file
  std::string dictionary;     // a dictionary trained on this batch, to store with it
  size_t dictionary_samples = 0;
  IngestProgress progress;
  Status status;              // a read error ends the ingest
};

// A bounded queue between the reader and the writer. Close() ends both sides' waits.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  bool Push(Batch batch) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(batch));
    cv_.notify_all();
    return true;
  }
  bool Pop(Batch* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    *batch = std::move(items_.front());
    items_.erase(items_.begin());
    cv_.notify_all();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Batch> items_;
  size_t capacity_;
  bool closed_ = false;
};

struct SourceRow {
  int64_t id = 0;
  bool found = false;
  std::string fingerprint;
  uint64_t file_size = 0, position = 0;
  std::string state;
  bool complete = false;
};

std::string Fingerprint(const std::string& path) {
  std::string head(64 * 1024, '\0');
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "";
  size_t n = std::fread(head.data(), 1, head.size(), f);
  std::fclose(f);
  head.resize(n);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(internal::Fnv1a64(head)));
  return buf;
}

Status LoadSource(sqlite3* db, const std::string& name, SourceRow* row) {
  Stmt s;
  Status st = s.Prepare(db,
                        "SELECT source_id, coalesce(fingerprint, ''), coalesce(file_size, 0), position, "
                        "coalesce(scanner_state, ''), complete FROM lh_sources WHERE name = ?");
  if (!st.ok()) return st;
  s.BindText(1, name);
  if (s.Step() == SQLITE_ROW) {
    row->found = true;
    row->id = s.ColumnInt(0);
    row->fingerprint = s.ColumnText(1);
    row->file_size = static_cast<uint64_t>(s.ColumnInt(2));
    row->position = static_cast<uint64_t>(s.ColumnInt(3));
    row->state = s.ColumnText(4);
    row->complete = s.ColumnInt(5) != 0;
  }
  return Status::Ok();
}

class BronzeWriter {
 public:
  BronzeWriter(sqlite3* db, int64_t source_id) : db_(db), source_id_(source_id) {}

  Status Prepare() {
    Status s = insert_.Prepare(db_,
                               "INSERT INTO bronze_events (event_id, source_id, source_offset, kafka_topic, "
                               "kafka_partition, kafka_offset, event_time, ingested_at, domain, payload) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING");
    if (s.ok()) {
      s = reject_.Prepare(db_,
                          "INSERT OR IGNORE INTO bronze_rejects (source_id, source_offset, line, rejected_at, "
                          "reason, raw) VALUES (?, ?, ?, ?, ?, ?)");
    }
    if (s.ok()) {
      s = source_.Prepare(db_,
                          "UPDATE lh_sources SET position = ?, scanner_state = ?, complete = ?, updated_at = ? "
                          "WHERE source_id = ?");
    }
    if (s.ok()) {
      s = layer_.Prepare(db_,
                         "UPDATE lh_layer_state SET row_count = row_count + ?, "
                         "newest_event_time = nullif(max(coalesce(newest_event_time, ''), coalesce(?, '')), '') "
                         "WHERE layer = 'bronze'");
    }
    return s;
  }

  // Writes the batch and the position reached in one transaction.
  Status Write(const Batch* batch, IngestStats* stats) {
    internal::Transaction txn(db_);
    Status s = txn.Begin();
    if (!s.ok()) return s;
    if (!batch->dictionary.empty()) {
      s = internal::BronzeCompressor::Store(db_, batch->dictionary, batch->dictionary_samples);
      if (!s.ok()) return s;
    }
    const std::string now = internal::FormatTime(internal::NowMs());
    uint64_t inserted = 0;
    int64_t newest = INT64_MIN;
    char time_buf[24];
    for (const PendingEvent& e : batch->events) {
      size_t tlen = internal::FormatTime(e.event_time_ms, time_buf);
      insert_.BindTextStatic(1, e.event_id);
      insert_.BindInt(2, source_id_);
      insert_.BindInt(3, static_cast<int64_t>(e.offset));
      if (e.topic.empty()) insert_.BindNull(4); else insert_.BindTextStatic(4, e.topic);
      if (e.partition) insert_.BindInt(5, *e.partition); else insert_.BindNull(5);
      if (e.kafka_offset) insert_.BindInt(6, *e.kafka_offset); else insert_.BindNull(6);
      insert_.BindTextStatic(7, std::string_view(time_buf, tlen));
      insert_.BindTextStatic(8, now);
      if (e.domain.empty()) insert_.BindNull(9); else insert_.BindTextStatic(9, e.domain);
      insert_.BindBlobStatic(10, e.payload.data(), e.payload.size());
      int rc = insert_.Step();
      insert_.Reset();
      if (rc != SQLITE_DONE) return Status::SqlError(std::string("inserting into bronze_events: ") + sqlite3_errmsg(db_));
      if (sqlite3_changes(db_) > 0) {
        ++inserted;
        if (e.event_time_ms > newest) newest = e.event_time_ms;
      } else {
        ++stats->duplicates;
      }
    }
    for (const PendingReject& r : batch->rejects) {
      reject_.BindInt(1, source_id_);
      reject_.BindInt(2, static_cast<int64_t>(r.offset));
      reject_.BindInt(3, static_cast<int64_t>(r.line));
      reject_.BindTextStatic(4, now);
      reject_.BindTextStatic(5, r.reason);
      reject_.BindBlobStatic(6, r.raw.data(), r.raw.size());
      int rc = reject_.Step();
      reject_.Reset();
      if (rc != SQLITE_DONE) return Status::SqlError(std::string("inserting into bronze_rejects: ") + sqlite3_errmsg(db_));
      stats->rejects += static_cast<uint64_t>(sqlite3_changes(db_));
    }
    source_.BindInt(1, static_cast<int64_t>(batch->position));
    source_.BindText(2, batch->state);
    source_.BindInt(3, batch->complete ? 1 : 0);
    source_.BindTextStatic(4, now);
    source_.BindInt(5, source_id_);
    int rc = source_.Step();
    source_.Reset();
    if (rc != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db_));
    layer_.BindInt(1, static_cast<int64_t>(inserted));
    std::string newest_text = newest == INT64_MIN ? std::string() : internal::FormatTime(newest);
    if (newest_text.empty()) layer_.BindNull(2); else layer_.BindText(2, newest_text);
    rc = layer_.Step();
    layer_.Reset();
    if (rc != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db_));
    s = txn.Commit();
    if (!s.ok()) return s;
    stats->inserted += inserted;
    stats->documents += batch->documents;
    return Status::Ok();
  }

 private:
  sqlite3* db_;
  int64_t source_id_;
  Stmt insert_, reject_, source_, layer_;
};

// The reader thread: frames, parses and compresses batches until the end of the file, an error,
// or the queue closing (the writer stopped).
void ReadBatches(internal::DocumentSplitter* splitter, internal::ByteSource* source, uint64_t file_size,
                 internal::BronzeCompressor* compressor, uint64_t batch_size, BatchQueue* queue,
                 std::chrono::steady_clock::time_point started) {
  internal::EventParser parser;
  internal::ParsedEvent event;
  std::string reason;
  bool training_tried = false;  // at most once per ingest
  for (;;) {
    Batch b;
    bool have = false;
    while (b.events.size() + b.rejects.size() < batch_size) {
      internal::RawDocument doc;
      b.status = splitter->Next(&doc, &have);
      if (!b.status.ok() || !have) break;
      ++b.documents;
      if (!doc.error.empty()) {
        b.rejects.push_back({doc.offset, doc.line, doc.error, std::string(doc.data, doc.size)});
      } else if (!parser.Parse(doc.data, doc.size, doc.capacity, &event, &reason)) {
        b.rejects.push_back({doc.offset, doc.line,
                             "line " + std::to_string(doc.line) + ", byte " + std::to_string(doc.offset) + ": " + reason,
                             std::string(doc.data, doc.size)});
      } else {
        PendingEvent& e = b.events.emplace_back();
        std::string_view raw(doc.data, doc.size);
        e.event_id = event.meta_id.empty() ? internal::ContentEventId(raw) : std::string(event.meta_id);
        e.offset = doc.offset;
        e.topic = event.topic;
        e.partition = event.partition;
        e.kafka_offset = event.kafka_offset;
        e.event_time_ms = event.event_time_ms;
        e.domain = event.domain;
        e.raw = raw;
      }
    }
    if (!b.status.ok()) {
      queue->Push(std::move(b));
      return;
    }
    b.complete = !have;
    if (!training_tried && compressor->ShouldTrain(b.events.size())) {
      std::vector<std::string_view> samples;
      for (size_t i = 0; i < b.events.size() && i < internal::BronzeCompressor::kTrainingSamples; ++i) {
        samples.push_back(b.events[i].raw);
      }
      compressor->Train(samples, &b.dictionary);
      b.dictionary_samples = samples.size();
      training_tried = true;
    }
    for (PendingEvent& e : b.events) {
      b.status = compressor->Compress(e.raw, &e.payload);
      if (!b.status.ok()) break;
      std::string().swap(e.raw);
    }
    b.position = splitter->position();
    b.state = splitter->state();
    b.progress.bytes_read = splitter->bytes_read();
    b.progress.bytes_total = file_size;
    b.progress.compressed_read = source->file_position();
    b.progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    bool last = b.complete || !b.status.ok();
    if (!queue->Push(std::move(b)) || last) return;
  }
}

}  // namespace

std::string IngestStats::ToJson() const {
  return internal::JsonObjectWriter()
      .Add("documents", documents)
      .Add("inserted", inserted)
      .Add("duplicates", duplicates)
      .Add("rejects", rejects)
      .Add("bytes", bytes)
      .Add("resumed_from", resumed_from)
      .Add("already_complete", already_complete)
      .Add("seconds", seconds)
      .Finish();
}

Status IngestFile(sqlite3* db, const std::string& path, const IngestOptions& options, IngestStats* stats) {
  const auto started = std::chrono::steady_clock::now();
  *stats = IngestStats();
  Status s = EnsureSchema(db);
  if (s.ok()) s = internal::Exec(db, internal::kWriterPragmas);
  if (!s.ok()) return s;

  std::unique_ptr<internal::ByteSource> source;
  internal::SourceInfo info;
  s = internal::OpenByteSource(path, &source, &info);
  if (!s.ok()) return s;
  std::string name = options.source_name;
  if (name.empty()) {
    char* real = realpath(path.c_str(), nullptr);
    name = real ? real : path;
    std::free(real);
  }
  const std::string fingerprint = Fingerprint(path);

  SourceRow row;
  s = LoadSource(db, name, &row);
  if (!s.ok()) return s;
  const bool same_file = row.found && row.fingerprint == fingerprint;
  if (same_file && row.complete && row.file_size == info.file_size) {
    stats->already_complete = true;
    return Status::Ok();
  }
  if (!row.found) {
    Stmt ins;
    s = ins.Prepare(db, "INSERT INTO lh_sources (name, kind, fingerprint, file_size) VALUES (?, 'file', ?, ?)");
    if (!s.ok()) return s;
    ins.BindText(1, name);
    ins.BindText(2, fingerprint);
    ins.BindInt(3, static_cast<int64_t>(info.file_size));
    if (ins.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
    row.id = sqlite3_last_insert_rowid(db);
  } else {
    // A changed file starts again from the beginning (event_id absorbs what was seen before);
    // the same file that grew resumes where it stopped.
    Stmt upd;
    s = upd.Prepare(db, "UPDATE lh_sources SET fingerprint = ?, file_size = ?, complete = 0 WHERE source_id = ?");
    if (!s.ok()) return s;
    upd.BindText(1, fingerprint);
    upd.BindInt(2, static_cast<int64_t>(info.file_size));
    upd.BindInt(3, row.id);
    if (upd.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
  }

  internal::DocumentSplitter splitter(source.get(), options.max_document_bytes);
  if (same_file && row.position > 0 && !row.state.empty()) {
    s = splitter.Resume(row.position, row.state);
    if (!s.ok()) return s;
    stats->resumed_from = row.position;
  }

  BronzeWriter writer(db, row.id);
  s = writer.Prepare();
  if (!s.ok()) return s;
  internal::BronzeCompressor compressor;
  s = compressor.Load(db);
  if (!s.ok()) return s;

  BatchQueue queue(2);
  std::thread reader(ReadBatches, &splitter, source.get(), info.file_size, &compressor,
                     options.batch_events == 0 ? uint64_t{1} : options.batch_events, &queue, started);
  // However this function leaves (an error, or an exception from the progress callback), the
  // reader is stopped and joined before what it uses goes away.
  struct Joiner {
    BatchQueue* queue;
    std::thread* thread;
    ~Joiner() {
      queue->Close();
      thread->join();
    }
  } joiner{&queue, &reader};

  Batch batch;
  while (queue.Pop(&batch)) {
    if (!batch.status.ok()) {
      const Status& e = batch.status;
      return e.code() == Status::Code::kCorruption ? Status::Corruption(path + ": " + e.message()) : e;
    }
    s = writer.Write(&batch, stats);
    if (!s.ok()) return s;
    if (options.progress) {
      batch.progress.events = stats->documents;
      options.progress(batch.progress);
    }
    if (batch.complete) break;
  }
  stats->bytes = batch.progress.bytes_read - stats->resumed_from;
  stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Status::Ok();
}

}  // namespace litehouse

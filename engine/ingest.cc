// IngestFile: a file of recentchange events → bronze_events, exactly once.
//
// A transaction holds whole batches (rows, rejects, and the file position reached), so after a
// crash the next run resumes at the last committed position and nothing is lost or doubled; a
// second delivery of an event_id adds no row (ON CONFLICT DO NOTHING) and is counted as a duplicate.
//
// Two threads share the work: a reader thread decompresses, frames, parses and zstd-compresses
// batches; the calling thread only writes them to SQLite. A queue of two batches between them
// bounds memory: a slow disk slows the reader, it never grows the queue.
#include "engine/sqlite_api.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "engine/bounded_queue.h"
#include "engine/bronze_codec.h"
#include "engine/bronze_writer.h"
#include "engine/byte_arena.h"
#include "engine/byte_source.h"
#include "engine/document_splitter.h"
#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/json_writer.h"
#include "engine/memory_release.h"
#include "engine/sqlite_util.h"
#include "engine/time_util.h"
#include "litehouse/pipeline.h"

namespace litehouse {
namespace {

using internal::PendingEvent;
using internal::Stmt;

// What the reader thread hands the writer: one transaction's worth.
struct Batch : internal::BronzeBatch {
  IngestProgress progress;
  Status status;              // an error that ends the ingest; the batch is not written
  // The file cannot be read past this batch (damaged or cut short): the batch holds the events
  // before the damage, which are written and committed, and then the ingest fails with it.
  Status source_error;
};
using BatchQueue = internal::BoundedQueue<Batch>;

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

// A batch also ends past this many bytes of strings and payloads (plus one event), whatever its
// event count: a file of large events must not make the reader, the queue and the writer hold
// batch_events of them at once.
constexpr size_t kBatchBytes = 16u << 20;

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
    b.events.reserve(static_cast<size_t>(std::min<uint64_t>(batch_size, 1u << 16)));
    bool have = false;
    // Whether this batch may train the dictionary (the first one that is large enough does):
    // until then its events are kept raw (raw[i] for events[i]), after that each is compressed
    // straight from the splitter's buffer.
    const bool dictionary_settled = training_tried || !compressor->ShouldTrain(batch_size);
    internal::ByteArena raw_bytes;
    std::vector<internal::ArenaSpan> raw;
    while (b.events.size() + b.rejects.size() < batch_size && b.bytes.size() + raw_bytes.size() < kBatchBytes) {
      internal::RawDocument doc;
      b.source_error = splitter->Next(&doc, &have);
      if (!b.source_error.ok()) have = false;
      if (!have) break;
      ++b.documents;
      if (!doc.error.empty()) {
        b.rejects.push_back({doc.offset, doc.line, doc.error, std::string(doc.data, doc.size)});
      } else if (!parser.Parse(doc.data, doc.size, doc.capacity, &event, &reason)) {
        b.rejects.push_back({doc.offset, doc.line,
                             "line " + std::to_string(doc.line) + ", byte " + std::to_string(doc.offset) + ": " + reason,
                             std::string(doc.data, doc.size)});
      } else {
        PendingEvent& e = b.events.emplace_back();
        const std::string_view text(doc.data, doc.size);
        e.event_id = event.meta_id.empty() ? b.bytes.Append(internal::ContentEventId(text)) : b.bytes.Append(event.meta_id);
        e.offset = doc.offset;
        e.topic = b.bytes.Append(event.topic);
        e.partition = event.partition;
        e.kafka_offset = event.kafka_offset;
        e.event_time_ms = event.event_time_ms;
        e.domain = b.bytes.Append(event.domain);
        if (dictionary_settled) {
          b.status = compressor->Compress(text, &b.bytes, &e.payload);
          if (!b.status.ok()) break;
        } else {
          raw.push_back(raw_bytes.Append(text));
        }
      }
    }
    if (!b.status.ok()) {
      queue->Push(std::move(b));
      return;
    }
    b.complete = !have && b.source_error.ok();
    if (!training_tried && compressor->ShouldTrain(b.events.size())) {
      std::vector<std::string_view> samples;
      for (size_t i = 0; i < raw.size() && i < internal::BronzeCompressor::kTrainingSamples; ++i) {
        samples.push_back(raw_bytes.View(raw[i]));
      }
      compressor->Train(samples, &b.dictionary);
      b.dictionary_samples = samples.size();
      training_tried = true;
    }
    for (size_t i = 0; i < raw.size() && b.status.ok(); ++i) {
      b.status = compressor->Compress(raw_bytes.View(raw[i]), &b.bytes, &b.events[i].payload);
    }
    b.position = splitter->position();
    b.state = splitter->state();
    b.progress.bytes_read = splitter->bytes_read();
    b.progress.bytes_total = file_size;
    b.progress.compressed_read = source->file_position();
    b.progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    bool last = b.complete || !b.status.ok() || !b.source_error.ok();
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
  IngestStats unused;  // the caller may not want them
  if (stats == nullptr) stats = &unused;
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

  internal::BronzeWriter writer(db, row.id, internal::RowOrder::kEventId);
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

  // Batches share a transaction until they hold commit_bytes of the file (IngestOptions says why).
  // An error or an exception leaves it open: the destructor rolls it back, and the position stays
  // at the last commit.
  internal::Transaction txn(db);
  uint64_t txn_from = stats->resumed_from;  // file position where the open transaction began
  // The statistics as of the last commit: what an error that rolls back leaves the caller with.
  IngestStats committed = *stats;
  auto rolled_back = [&](const Status& e) {
    *stats = committed;
    return e;
  };
  auto about_the_file = [&](const Status& e) {  // a reading error: which file, and what is wrong with it
    return e.code() == Status::Code::kCorruption ? Status::Corruption(path + ": " + e.message()) : e;
  };
  Batch batch;
  while (queue.Pop(&batch)) {
    if (!batch.status.ok()) return rolled_back(about_the_file(batch.status));
    internal::BronzeWriteResult written;
    const bool last = batch.complete || !batch.source_error.ok();
    const bool commit = last || batch.position - txn_from >= options.commit_bytes;
    s = txn.open() ? Status::Ok() : txn.Begin();
    if (s.ok()) s = writer.Write(batch, &written);
    if (s.ok() && commit) {
      s = txn.Commit();
      txn_from = batch.position;
    }
    if (!s.ok()) return rolled_back(s);
    stats->inserted += written.inserted;
    stats->duplicates += written.duplicates;
    stats->rejects += written.rejects;
    stats->documents += batch.documents;
    if (commit) committed = *stats;
    if (options.progress) {
      batch.progress.events = stats->documents;
      options.progress(batch.progress);
    }
    if (!batch.source_error.ok()) {
      // What came before the damage is committed (and a later run resumes after it); the file
      // is not complete, and the caller hears why, with the statistics of what was kept.
      stats->bytes = batch.position - stats->resumed_from;
      stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      return about_the_file(batch.source_error);
    }
    if (batch.complete) break;
  }
  if (txn.open()) {  // the reader stopped without a complete batch (no such batch is sent today)
    s = txn.Commit();
    if (!s.ok()) return s;
  }
  // The reader's batches were allocated in its thread's arena; the refresh that follows should
  // not carry them in its resident size.
  internal::ReleaseFreeMemory();
  stats->bytes = batch.progress.bytes_read - stats->resumed_from;
  stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Status::Ok();
}

}  // namespace litehouse

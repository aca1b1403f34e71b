#include "engine/payload_prefetcher.h"

#include "engine/sqlite_api.h"

#include <cstring>
#include <vector>

#include "engine/bronze_codec.h"
#include "engine/byte_arena.h"
#include "engine/sqlite_util.h"

namespace litehouse::internal {
namespace {

// Where a row's text lies in its chunk's arena (views are made once the arena stops growing).
struct RowSpans {
  ArenaSpan payload, error, type, title, user, wiki, comment, log_type, log_action;
};

std::atomic<uint64_t> rows_served{0};

}  // namespace

bool DecodeBronzePayload(sqlite3* db, const void* payload, size_t size, BronzeDecompressor* decompressor,
                         EventParser* parser, std::string* text, ParsedEvent* event, std::string* error) {
  Status s = decompressor->Decompress(db, payload, size, text);
  if (!s.ok()) {
    *error = s.message();
    return false;
  }
  // Room for simdjson's padding after the text, so it parses in place instead of copying.
  if (text->capacity() < text->size() + simdjson::SIMDJSON_PADDING) {
    text->reserve(text->size() + simdjson::SIMDJSON_PADDING);
  }
  return parser->Parse(text->data(), text->size(), text->capacity(), event, error);
}

struct PayloadPrefetcher::Chunk {
  std::vector<PrefetchedRow> rows;
  ByteArena arena;
};

PayloadPrefetcher::PayloadPrefetcher(std::string path, int64_t after, int64_t to) : queue_(kQueuedChunks) {
  thread_ = std::thread(&PayloadPrefetcher::Run, this, std::move(path), after, to);
}

PayloadPrefetcher::~PayloadPrefetcher() {
  stop_ = true;
  queue_.Close();
  thread_.join();
}

void PayloadPrefetcher::Run(std::string path, int64_t after, int64_t to) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
    Stmt scan;
    if (scan.Prepare(db, "SELECT bronze_id, payload FROM main.bronze_events WHERE bronze_id > ? AND bronze_id <= ? "
                         "ORDER BY bronze_id").ok()) {
      int64_t read_to = after;  // rows up to here are read (or passed by the scan)
      scan.BindInt(1, after);
      scan.BindInt(2, to);
      BronzeDecompressor decompressor;
      EventParser parser;
      ParsedEvent event;
      std::string text, error;
      std::vector<RowSpans> spans;
      for (bool more = true; more && !stop_;) {
        // Behind the scan (it decoded those rows itself): start again kJumpChunks ahead of it.
        if (const int64_t wanted = wanted_.load(std::memory_order_relaxed); wanted > read_to) {
          read_to = wanted + static_cast<int64_t>(kJumpChunks * kChunkRows);
          sqlite3_reset(scan.get());
          scan.BindInt(1, read_to);
        }
        auto chunk = std::make_unique<Chunk>();
        chunk->rows.reserve(kChunkRows);
        spans.clear();
        while (chunk->rows.size() < kChunkRows && chunk->arena.size() < kChunkBytes) {
          if (scan.Step() != SQLITE_ROW) {
            more = false;
            break;
          }
          PrefetchedRow& row = chunk->rows.emplace_back();
          RowSpans& span = spans.emplace_back();
          row.bronze_id = read_to = scan.ColumnInt(0);
          const void* blob = sqlite3_column_blob(scan.get(), 1);
          const size_t size = static_cast<size_t>(sqlite3_column_bytes(scan.get(), 1));
          span.payload = chunk->arena.Append(std::string_view(static_cast<const char*>(blob), size));
          if (!DecodeBronzePayload(db, blob, size, &decompressor, &parser, &text, &event, &error)) {
            span.error = chunk->arena.Append(error);
            continue;
          }
          row.event = event;
          row.event.meta_id = row.event.domain = row.event.topic = {};  // not copied: Bronze has them
          span.type = chunk->arena.Append(event.type);
          span.title = chunk->arena.Append(event.title);
          span.user = chunk->arena.Append(event.user);
          span.wiki = chunk->arena.Append(event.wiki);
          span.comment = chunk->arena.Append(event.comment);
          span.log_type = chunk->arena.Append(event.log_type);
          span.log_action = chunk->arena.Append(event.log_action);
        }
        const ByteArena& arena = chunk->arena;
        for (size_t i = 0; i < chunk->rows.size(); ++i) {
          PrefetchedRow& row = chunk->rows[i];
          const RowSpans& span = spans[i];
          row.payload = arena.View(span.payload);
          row.error = arena.View(span.error);
          if (!row.error.empty()) continue;
          row.event.type = arena.View(span.type);
          row.event.title = arena.View(span.title);
          row.event.user = arena.View(span.user);
          row.event.wiki = arena.View(span.wiki);
          row.event.comment = arena.View(span.comment);
          row.event.log_type = arena.View(span.log_type);
          row.event.log_action = arena.View(span.log_action);
        }
        if (chunk->rows.empty() || !queue_.Push(std::move(chunk))) break;
      }
    }
  }
  sqlite3_close(db);
  queue_.Close();  // the scan drains what is queued, then finds nothing more
}

uint64_t PayloadPrefetcher::RowsServed() { return rows_served.load(std::memory_order_relaxed); }

const PrefetchedRow* PayloadPrefetcher::Find(int64_t bronze_id, const void* payload, size_t size) {
  wanted_.store(bronze_id, std::memory_order_relaxed);
  while (!abandoned_) {
    if (!current_ || next_ == current_->rows.size()) {
      // Nothing decoded yet (or any more): the scan decodes this row itself rather than wait.
      if (!queue_.PopUntil(&current_, std::chrono::steady_clock::now())) return nullptr;
      next_ = 0;
    }
    const PrefetchedRow& row = current_->rows[next_];
    if (row.bronze_id < bronze_id) {  // a row the scan did not need decoded
      ++next_;
      continue;
    }
    if (row.bronze_id > bronze_id) return nullptr;  // jumped ahead of the scan, or not committed
    if (row.payload.size() != size || (size > 0 && std::memcmp(row.payload.data(), payload, size) != 0)) {
      break;
    }
    ++next_;
    rows_served.fetch_add(1, std::memory_order_relaxed);
    return &row;
  }
  // The same row with other bytes: the scan decodes by itself from now on.
  abandoned_ = true;
  stop_ = true;
  queue_.Close();
  return nullptr;
}

}  // namespace litehouse::internal

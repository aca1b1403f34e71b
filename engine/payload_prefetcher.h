// PayloadPrefetcher: decodes Bronze payloads (zstd, then simdjson) ahead of a scan, on a thread
// of its own with its own read-only connection, so that a refresh's Silver step — which decodes
// every new row — uses the second core instead of leaving it idle.
//
// bronze_parsed starts one when a scan has decoded the first rows of a long range. The prefetcher
// reads the rows (after, to] in bronze_id order as its own snapshot shows them: every committed
// row. The scan asks for each row it needs by id and payload bytes, and gets the decoded event
// only when the prefetched row has the same id and the same payload; otherwise it gets nullptr
// and decodes the row itself: when the prefetcher has not got there yet (the scan never waits
// for it: the prefetcher then jumps ahead of the scan), or when the row differs (a row written by
// a transaction still open on the scan's connection, say: the prefetcher is then abandoned).
// So the result never depends on the prefetcher, and a scan with little else to do shares the
// decoding with it instead of waiting.
//
// Memory: at most kQueuedChunks chunks queued, each of kChunkRows rows (payload and decoded text)
// or of about kChunkBytes when the events are large, whichever comes first.
// Thread-safety: one scan (thread) calls Find; the prefetcher's own thread does the rest.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "engine/bounded_queue.h"
#include "engine/bronze_codec.h"
#include "engine/event_parser.h"

namespace litehouse::internal {

// Decompresses one Bronze payload into *text and parses it into *event (views into *parser's
// document); false with *error set (the codec's or the parser's message) when it cannot. The scan
// and the prefetcher both decode through it, so a prefetched row is what the scan would decode.
bool DecodeBronzePayload(sqlite3* db, const void* payload, size_t size, BronzeDecompressor* decompressor,
                         EventParser* parser, std::string* text, ParsedEvent* event, std::string* error);

struct PrefetchedRow {
  int64_t bronze_id = 0;
  std::string_view payload;  // the bytes it decoded, to compare with the scan's
  std::string_view error;    // why the payload cannot be decoded; empty when it can
  ParsedEvent event;         // the decoded fields (type, title, ... and the numbers)
};

class PayloadPrefetcher {
 public:
  static constexpr size_t kChunkRows = 1024;
  static constexpr size_t kChunkBytes = 4u << 20;  // a chunk ends past this (plus one row)
  static constexpr size_t kQueuedChunks = 4;
  static constexpr size_t kJumpChunks = 4;  // how far ahead of the scan it starts again when behind

  // Starts decoding rows (after, to] of main.bronze_events in the database file at `path`.
  PayloadPrefetcher(std::string path, int64_t after, int64_t to);
  ~PayloadPrefetcher();  // stops the thread and waits for it
  PayloadPrefetcher(const PayloadPrefetcher&) = delete;
  PayloadPrefetcher& operator=(const PayloadPrefetcher&) = delete;

  // The decoded row `bronze_id` if it was prefetched with exactly these payload bytes; nullptr
  // otherwise (the caller decodes it). Never waits. Ids must come in increasing order; rows
  // between two asked ids are skipped. The result stays valid until the next call.
  const PrefetchedRow* Find(int64_t bronze_id, const void* payload, size_t size);

  // Whether Find met a row with other bytes than the scan's and gave up for good.
  bool abandoned() const { return abandoned_; }

  // Rows Find has served, over the process (tests use it to see that prefetching happened).
  static uint64_t RowsServed();

 private:
  struct Chunk;
  void Run(std::string path, int64_t after, int64_t to);

  BoundedQueue<std::unique_ptr<Chunk>> queue_;
  std::unique_ptr<Chunk> current_;
  size_t next_ = 0;      // the next row of current_ to look at
  bool abandoned_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> wanted_{0};  // the last id the scan asked for
  std::thread thread_;
};

}  // namespace litehouse::internal

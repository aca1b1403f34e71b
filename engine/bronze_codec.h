// BronzeCodec: zstd compression of Bronze payloads with a dictionary trained on the stream.
//
// A recentchange event is ~1 KB of JSON that repeats the same keys, schema URIs and domains;
// compressed alone it barely shrinks, with a dictionary trained on earlier events it costs a
// fraction. Each payload is one zstd frame whose header names its dictionary id (0 = none), so
// lh_raw() can always find the dictionary in lh_dictionaries.
// Thread-safety: none; one codec per thread.
#pragma once

#include <zstd.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/byte_arena.h"
#include "litehouse/status.h"

struct sqlite3;

namespace litehouse::internal {

struct ZstdDeleter {
  void operator()(ZSTD_CCtx* p) const { ZSTD_freeCCtx(p); }
  void operator()(ZSTD_DCtx* p) const { ZSTD_freeDCtx(p); }
  void operator()(ZSTD_CDict* p) const { ZSTD_freeCDict(p); }
  void operator()(ZSTD_DDict* p) const { ZSTD_freeDDict(p); }
};

class BronzeCompressor {
 public:
  static constexpr int kLevel = 3;
  static constexpr size_t kDictionaryBytes = 112 * 1024;  // zstd's recommended size; see bench/README.md
  static constexpr size_t kTrainingSamples = 4000;  // events sampled to train a dictionary
  static constexpr size_t kMinTrainingSamples = 100;

  BronzeCompressor();
  // Uses the newest dictionary stored in the database, if there is one.
  Status Load(sqlite3* db);
  bool has_dictionary() const { return cdict_ != nullptr; }
  // A dictionary trained on a few events of an old file compresses today's stream badly, so
  // training repeats while the current one saw fewer than kTrainingSamples events and a batch
  // offers at least twice as many; payloads name their dictionary, so older ones still decode.
  bool ShouldTrain(size_t batch_events) const {
    return samples_ < kTrainingSamples && batch_events >= kMinTrainingSamples && batch_events >= 2 * samples_;
  }
  // Trains a dictionary on `samples` and starts using it; *dictionary gets its bytes (empty when
  // too few or too uniform samples leave the codec without one, which is not an error).
  void Train(const std::vector<std::string_view>& samples, std::string* dictionary);
  // The two halves of Train, for callers that train on another thread: the dictionary's bytes
  // (empty when there is too little variety), and starting to use one (false if it is unusable).
  static std::string TrainDictionary(const std::vector<std::string_view>& samples);
  bool Use(const std::string& dictionary, size_t samples);
  // Stores a trained dictionary in lh_dictionaries (inside the caller's transaction).
  static Status Store(sqlite3* db, const std::string& dictionary, size_t samples);
  // Compresses `data` (which must not lie in *arena) to one frame appended to *arena, exactly
  // its size: a batch keeps tens of thousands of payloads until they are written.
  Status Compress(std::string_view data, ByteArena* arena, ArenaSpan* frame);

 private:
  std::unique_ptr<ZSTD_CCtx, ZstdDeleter> cctx_;
  std::unique_ptr<ZSTD_CDict, ZstdDeleter> cdict_;
  size_t samples_ = 0;  // events the current dictionary was trained on (0 without one)
};

class BronzeDecompressor {
 public:
  BronzeDecompressor();
  // Decompresses one payload; looks up (and caches) its dictionary in `db`.
  Status Decompress(sqlite3* db, const void* data, size_t size, std::string* out);

 private:
  std::unique_ptr<ZSTD_DCtx, ZstdDeleter> dctx_;
  std::map<uint32_t, std::unique_ptr<ZSTD_DDict, ZstdDeleter>> ddicts_;
};

// While litehouse writes Bronze rows, SQLite computes every generated column of each row it
// inserts — VIRTUAL ones too, which it then throws away — so Bronze's `decoded` would decode each
// payload just compressed (~5 us an event, on the writer's thread). The writer marks its inserts
// on its thread with this scope, and bronze_fields() gives NULL inside one
// (udf/bronze_parsed_vtab.cc); nothing reads `decoded` there (a trigger of one's own on Bronze's
// inserts would see NULL).
class BronzeInsertScope {
 public:
  BronzeInsertScope() { active_ = true; }
  ~BronzeInsertScope() { active_ = false; }
  BronzeInsertScope(const BronzeInsertScope&) = delete;
  BronzeInsertScope& operator=(const BronzeInsertScope&) = delete;
  static bool active() { return active_; }

 private:
  static thread_local bool active_;
};

// Plain zstd of arbitrary bytes (the zstd_compress/zstd_decompress SQL functions). Error
// messages are zstd's own, without a prefix: the caller names itself.
Status ZstdCompress(std::string_view data, int level, std::string* out);
// Refuses output larger than max_size (a decompression bomb must not exhaust memory).
Status ZstdDecompress(std::string_view data, size_t max_size, std::string* out);

}  // namespace litehouse::internal

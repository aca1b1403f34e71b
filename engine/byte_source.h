// ByteSource: the decompressed bytes of an input file, read in chunks with bounded memory.
//
// The format is detected from the file's first bytes, not its name: zstd frames (28 b5 2f fd),
// gzip (1f 8b), otherwise plain bytes. Positions are offsets in the decompressed stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "litehouse/status.h"

namespace litehouse::internal {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `capacity` bytes; *got == 0 means end of input. A compressed file that is cut
  // short or damaged first gives every byte that decompressed before the damage, then the error
  // (on every later call too).
  virtual Status Read(char* buffer, size_t capacity, size_t* got) = 0;
  // Bytes of the file on disk consumed so far (for progress).
  virtual uint64_t file_position() const = 0;
  // Discards `n` decompressed bytes (used to resume an interrupted ingest).
  Status Skip(uint64_t n);
};

struct SourceInfo {
  uint64_t file_size = 0;
  const char* format = "plain";  // "plain", "zstd" or "gzip"
};

// Bytes already in memory (tests, fuzzing); the caller keeps them alive.
class MemoryByteSource : public ByteSource {
 public:
  explicit MemoryByteSource(std::string_view bytes, size_t max_read = SIZE_MAX) : bytes_(bytes), max_read_(max_read) {}
  Status Read(char* buffer, size_t capacity, size_t* got) override;
  uint64_t file_position() const override { return position_; }

 private:
  std::string_view bytes_;
  size_t max_read_;  // at most this many bytes per Read, to exercise chunk boundaries
  size_t position_ = 0;
};

Status OpenByteSource(const std::string& path, std::unique_ptr<ByteSource>* out, SourceInfo* info);

}  // namespace litehouse::internal

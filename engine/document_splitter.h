// DocumentSplitter: finds the JSON objects in a byte stream, whatever shape the file has.
//
// Shapes (all seen in the real recordings):
//   - NDJSON, blank lines allowed;
//   - a top-level JSON array of objects (pretty-printed or not);
//   - pretty-printed objects one after another, with or without commas between them;
//   - the {"streams": [...]} wrapper of an application that recorded the stream: its array's
//     objects are the events (the wrapper itself is not one).
// It frames documents by brace depth (strings and escapes respected) and does not parse them:
// simdjson does that next. Memory is bounded: a document larger than max_document_bytes is
// skipped and reported, never buffered whole.
//
// Errors are documents too (RawDocument::error set), so nothing is dropped silently:
//   - a raw newline inside a string (JSON strings cannot hold one): "unterminated string";
//   - a line starting with '{' while an object that itself started at column 0 is still open:
//     "object not closed" (the NDJSON line lost its closing brace); scanning resynchronises there;
//   - bytes outside any object that are not ',', '[', ']' or white space: the rest of that line;
//   - end of input inside an object.
// Thread-safety: none; one splitter per thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/byte_source.h"

namespace litehouse::internal {

// Bytes readable past the end of every document (simdjson needs them).
inline constexpr size_t kDocumentPadding = 64;

struct RawDocument {
  const char* data = nullptr;  // valid until the next call to Next()
  size_t size = 0;
  size_t capacity = 0;         // readable bytes from data (>= size + kDocumentPadding)
  uint64_t offset = 0;         // offset of the first byte in the decompressed stream
  uint64_t line = 0;           // 1-based line of the first byte
  std::string error;           // empty for a well-framed object
};

class DocumentSplitter {
 public:
  DocumentSplitter(ByteSource* source, size_t max_document_bytes);

  // Continues from a position and state saved by position()/state() after an earlier run.
  Status Resume(uint64_t offset, const std::string& state);

  // Sets *have = false at the end of input.
  Status Next(RawDocument* doc, bool* have);

  // Offset just past the last document returned: where a later run resumes.
  uint64_t position() const { return position_; }
  // The scanner state needed to resume at position() (line number and open containers).
  std::string state() const;
  uint64_t bytes_read() const { return base_offset_ + end_; }

 private:
  Status Fill(size_t keep_from, bool* eof);
  Status EnsureLookahead(size_t n, bool* eof);
  Status ScanObject(RawDocument* doc);
  Status ScanGarbageLine(RawDocument* doc);
  bool TryEnterWrapper();
  void Emit(RawDocument* doc, size_t start, size_t end, uint64_t line);

  ByteSource* source_;
  size_t max_document_bytes_;
  std::vector<char> buffer_;
  size_t capacity_;        // usable bytes of buffer_ (the rest is padding)
  size_t i_ = 0;           // next byte to scan
  size_t end_ = 0;         // end of valid data
  uint64_t base_offset_ = 0;  // stream offset of buffer_[0]
  uint64_t line_ = 1;
  bool at_line_start_ = true;
  bool eof_ = false;
  uint64_t position_ = 0;
  std::string containers_;  // '[' transparent array, 'w' the streams wrapper object
  std::string oversized_prefix_;
};

}  // namespace litehouse::internal

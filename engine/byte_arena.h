// ByteArena: the many short strings of a batch (event ids, names, compressed payloads, decoded
// fields) in one growing buffer.
//
// A batch of tens of thousands of events then costs a handful of allocations instead of several
// per event, and the thread that frees a batch does not hand thousands of chunks back to the malloc
// arena of the thread that built it. Strings are addressed by ArenaSpan (offset, size); a view
// into the buffer is valid only until the next Append or Reserve.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace litehouse::internal {

struct ArenaSpan {
  size_t offset = 0, size = 0;
  bool empty() const { return size == 0; }
};

class ByteArena {
 public:
  ArenaSpan Append(std::string_view bytes) {
    ArenaSpan span{bytes_.size(), bytes.size()};
    bytes_.append(bytes);
    return span;
  }
  // Room for up to `max` bytes at the end, for a writer such as zstd; Commit keeps `used` of them.
  char* Reserve(size_t max) {
    reserved_at_ = bytes_.size();
    bytes_.resize(reserved_at_ + max);
    return bytes_.data() + reserved_at_;
  }
  ArenaSpan Commit(size_t used) {
    bytes_.resize(reserved_at_ + used);
    return {reserved_at_, used};
  }
  std::string_view View(ArenaSpan span) const { return {bytes_.data() + span.offset, span.size}; }
  size_t size() const { return bytes_.size(); }

 private:
  std::string bytes_;
  size_t reserved_at_ = 0;
};

}  // namespace litehouse::internal

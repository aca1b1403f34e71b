// ReleaseFreeMemory: gives back to the OS the memory the allocator holds but nothing uses.
//
// glibc keeps freed chunks inside its arenas (one per thread that allocated them) and returns
// them only from the very top of a heap. After a bulk ingest's Bronze phase (the reader thread's
// batches) and after each of a large refresh's scripts (SQLite's sorters take tens of MB and
// free them), that retained memory would count in the process's resident size on top of the next
// phase's own (with exact-size payloads, the other half of the fix, a 5M ingest's peak went from
// ~325 to ~250 MB; bench/README.md). A call
// costs a walk over the free lists, so it belongs at phase boundaries of large work, not in a
// live loop that refreshes every few hundred milliseconds.
#pragma once

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace litehouse::internal {

inline void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace litehouse::internal

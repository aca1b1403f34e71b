// libFuzzer target for the event reader: the document splitter and the event parser.
//
// Oracle: split-invariance. The same bytes must frame into the same documents and errors
// whatever the read sizes (the first input byte picks a chunk size), and nothing may crash,
// leak or read out of bounds (ASan/UBSan).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/document_splitter.h"
#include "engine/event_parser.h"

namespace {

std::vector<std::string> Frame(std::string_view bytes, size_t chunk) {
  litehouse::internal::MemoryByteSource src(bytes, chunk);
  litehouse::internal::DocumentSplitter splitter(&src, 1 << 14);
  litehouse::internal::EventParser parser;
  std::vector<std::string> out;
  for (;;) {
    litehouse::internal::RawDocument doc;
    bool have = false;
    if (!splitter.Next(&doc, &have).ok() || !have) break;
    std::string reason;
    litehouse::internal::ParsedEvent event;
    if (doc.error.empty()) parser.Parse(doc.data, doc.size, doc.capacity, &event, &reason);
    out.push_back(std::to_string(doc.offset) + ":" + doc.error + ":" + std::string(doc.data, doc.size) + ":" + reason);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (Frame(bytes, SIZE_MAX) != Frame(bytes, chunk)) std::abort();
  return 0;
}

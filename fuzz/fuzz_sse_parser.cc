// libFuzzer target for the Server-Sent Events parser.
//
// Oracle: split-invariance. The same bytes must yield the same events (type, data, id, oversized,
// size), the same last event id and the same retry value whatever the network chunking — the
// whole input at once, one byte at a time, or cut at points the input itself chooses — and
// nothing may crash, leak or read out of bounds (ASan/UBSan). The parser's buffered bytes must
// stay within its bound.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/sse_parser.h"

namespace {

using litehouse::internal::SseEvent;
using litehouse::internal::SseParser;

constexpr size_t kMaxEvent = 512;  // small, so the fuzzer reaches the oversized paths

struct Result {
  std::vector<std::string> events;
  std::string last_id;
  int64_t retry = 0;
};

Result Run(std::string_view bytes, const std::vector<size_t>& cuts) {
  SseParser parser(kMaxEvent);
  Result r;
  auto on_event = [&](SseEvent&& e) {
    r.events.push_back(e.type + '\x01' + e.data + '\x01' + e.id + '\x01' + (e.oversized ? "O" : "-") + '\x01' +
                       std::to_string(e.data_bytes));
  };
  size_t start = 0;
  for (size_t cut : cuts) {
    if (cut <= start || cut > bytes.size()) continue;
    parser.Feed(bytes.substr(start, cut - start), on_event);
    if (parser.buffered_bytes() > 2 * kMaxEvent + SseParser::kKeptBytes + 128) std::abort();
    start = cut;
  }
  parser.Feed(bytes.substr(start), on_event);
  r.last_id = parser.last_event_id();
  r.retry = parser.retry_ms();
  return r;
}

bool Same(const Result& a, const Result& b) { return a.events == b.events && a.last_id == b.last_id && a.retry == b.retry; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte seeds the cut points; the rest is the stream.
  const unsigned seed = data[0];
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  Result whole = Run(bytes, {});
  std::vector<size_t> every_byte;
  for (size_t i = 1; i < bytes.size(); ++i) every_byte.push_back(i);
  std::vector<size_t> chosen;
  for (size_t i = seed % 7 + 1; i < bytes.size(); i += (i * 31 + seed) % 13 + 1) chosen.push_back(i);
  if (!Same(whole, Run(bytes, every_byte)) || !Same(whole, Run(bytes, chosen))) std::abort();
  return 0;
}

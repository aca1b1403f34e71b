// parse_limit: the physical limit of file → events on this machine — simdjson parsing every
// document of an NDJSON file and touching nothing else — for bench/compare_bench.sh to set
// litehouse's end-to-end rate against.
//
//   parse_limit FILE.jsonl [RUNS]     prints: events seconds events/s MB/s (the median run)
//
// The file is read in 64 MiB chunks cut at a newline and each chunk parsed with parse_many, so
// reading from the page cache is included, as it is for every tool the bench compares.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Run {
  uint64_t events = 0, bytes = 0;
  double seconds = 0;
};

bool ParseFile(const char* path, Run* run) {
  FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  constexpr size_t kChunk = 64u << 20;
  std::vector<char> buf(kChunk + simdjson::SIMDJSON_PADDING);
  simdjson::dom::parser parser;
  size_t carry = 0;
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    size_t n = std::fread(buf.data() + carry, 1, kChunk - carry, f);
    size_t have = carry + n;
    if (have == 0) break;
    // Parse up to the last newline; the rest starts the next chunk.
    size_t end = have;
    if (n > 0) {
      while (end > 0 && buf[end - 1] != '\n') --end;
      if (end == 0) end = have;  // one document longer than a chunk: parse what there is
    }
    simdjson::dom::document_stream docs;
    if (parser.parse_many(reinterpret_cast<const uint8_t*>(buf.data()), end, kChunk).get(docs)) return false;
    for (auto doc : docs) {
      simdjson::dom::element e;
      if (!doc.get(e)) ++run->events;
    }
    run->bytes += end;
    carry = have - end;
    std::copy(buf.begin() + static_cast<long>(end), buf.begin() + static_cast<long>(have), buf.begin());
    if (n == 0 && carry == 0) break;
    if (n == 0) {  // a last line without a newline
      buf[carry++] = '\n';
    }
  }
  std::fclose(f);
  run->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: parse_limit FILE.jsonl [RUNS]\n");
    return 2;
  }
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  std::vector<Run> all;
  for (int i = 0; i < runs; ++i) {
    Run r;
    if (!ParseFile(argv[1], &r)) {
      std::fprintf(stderr, "parse_limit: cannot read or parse %s\n", argv[1]);
      return 1;
    }
    all.push_back(r);
  }
  std::sort(all.begin(), all.end(), [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  const Run& m = all[all.size() / 2];
  std::printf("%llu %.3f %.0f %.0f\n", static_cast<unsigned long long>(m.events), m.seconds, m.events / m.seconds,
              m.bytes / m.seconds / 1e6);
  return 0;
}

// zstd_frames: what Bronze's payloads would cost in zstd frames of k events instead of one event
// a frame — the bytes per event, how fast they compress, and what reading one event back costs
// (its whole frame is decompressed) — with the dictionary Bronze trains and at Bronze's level.
//
//   zstd_frames FILE.jsonl [EVENTS]     (EVENTS: the first non-empty lines read, default 60,000)
//
// The dictionary is trained the way Bronze trains it (BronzeCompressor::TrainDictionary) on the
// first BronzeCompressor::kTrainingSamples events; the rest are compressed k consecutive events a
// frame, at level 1 and at Bronze's level. Prints one line per (level, k): bytes per event,
// compression MB/s and microseconds to decompress one frame (medians of three runs). Every frame
// is decompressed and compared with its events: exits 1 if one differs.
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/bronze_codec.h"

namespace {

using litehouse::internal::BronzeCompressor;
using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: zstd_frames FILE.jsonl [EVENTS]\n");
    return 2;
  }
  const size_t wanted = argc > 2 ? std::stoul(argv[2]) : 60000;
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "zstd_frames: cannot open %s\n", argv[1]);
    return 2;
  }
  std::vector<std::string> events;
  for (std::string line; events.size() < wanted && std::getline(in, line);) {
    if (!line.empty()) events.push_back(std::move(line));
  }
  const size_t train = BronzeCompressor::kTrainingSamples;
  if (events.size() < train + 1000) {
    std::fprintf(stderr, "zstd_frames: %zu events in %s; at least %zu needed (%zu to train on)\n", events.size(),
                 argv[1], train + 1000, train);
    return 2;
  }
  const std::vector<std::string_view> samples(events.begin(), events.begin() + train);
  const std::string dict = BronzeCompressor::TrainDictionary(samples);
  if (dict.empty()) {
    std::fprintf(stderr, "zstd_frames: no dictionary could be trained on the first %zu events\n", train);
    return 2;
  }
  size_t raw_bytes = 0;
  for (size_t i = train; i < events.size(); ++i) raw_bytes += events[i].size();
  const size_t held_out = events.size() - train;
  std::printf("%zu events held out (%.1f B each), dictionary %zu B trained on %zu\n", held_out,
              double(raw_bytes) / held_out, dict.size(), train);
  std::printf("%5s %7s %9s %12s %16s\n", "level", "events", "B/event", "compress", "read one event");

  std::unique_ptr<ZSTD_CCtx, litehouse::internal::ZstdDeleter> cctx(ZSTD_createCCtx());
  std::unique_ptr<ZSTD_DCtx, litehouse::internal::ZstdDeleter> dctx(ZSTD_createDCtx());
  std::unique_ptr<ZSTD_DDict, litehouse::internal::ZstdDeleter> ddict(ZSTD_createDDict(dict.data(), dict.size()));
  for (int level : {1, BronzeCompressor::kLevel}) {
    std::unique_ptr<ZSTD_CDict, litehouse::internal::ZstdDeleter> cdict(
        ZSTD_createCDict(dict.data(), dict.size(), level));
    for (size_t k : {1, 8, 16, 32, 64}) {
      // The frames' inputs: k consecutive events, as Bronze's rows are consecutive in a batch.
      std::vector<std::string> inputs;
      for (size_t i = train; i < events.size(); i += k) {
        std::string& s = inputs.emplace_back();
        for (size_t j = i; j < std::min(events.size(), i + k); ++j) s += events[j];
      }
      size_t largest = 0;
      for (const std::string& input : inputs) largest = std::max(largest, input.size());
      std::vector<std::string> frames(inputs.size());
      std::vector<double> compress_s, decompress_s;
      size_t stored = 0;
      for (int run = 0; run < 3; ++run) {
        stored = 0;
        auto t = Clock::now();
        for (size_t f = 0; f < inputs.size(); ++f) {
          frames[f].resize(ZSTD_compressBound(inputs[f].size()));
          const size_t n = ZSTD_compress_usingCDict(cctx.get(), frames[f].data(), frames[f].size(), inputs[f].data(),
                                                    inputs[f].size(), cdict.get());
          if (ZSTD_isError(n)) {
            std::fprintf(stderr, "zstd_frames: %s\n", ZSTD_getErrorName(n));
            return 1;
          }
          frames[f].resize(n);
          stored += n;
        }
        compress_s.push_back(SecondsSince(t));
        std::string out(largest, '\0');
        size_t mismatched = frames.size();
        t = Clock::now();
        for (size_t f = 0; f < frames.size(); ++f) {
          const size_t n = ZSTD_decompress_usingDDict(dctx.get(), out.data(), out.size(), frames[f].data(),
                                                      frames[f].size(), ddict.get());
          // (Compared on the first run only, so that the timed runs time decompressing alone.)
          if (ZSTD_isError(n) || (run == 0 && std::string_view(out.data(), n) != inputs[f])) {
            mismatched = f;
            break;
          }
        }
        decompress_s.push_back(SecondsSince(t));
        if (mismatched < frames.size()) {
          std::fprintf(stderr, "zstd_frames: frame %zu (level %d, %zu events) does not decompress to its events\n",
                       mismatched, level, k);
          return 1;
        }
      }
      std::printf("%5d %7zu %9.1f %7.0f MB/s %13.2f us\n", level, k, double(stored) / held_out,
                  raw_bytes / Median(compress_s) / 1e6, Median(decompress_s) / inputs.size() * 1e6);
    }
  }
  return 0;
}

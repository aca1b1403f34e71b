#!/usr/bin/env bash
# The test command: build and run every test that is not labelled slow, then (with
# LITEHOUSE_SANITIZE=1, as CI sets it) the unit, SQL and live tests again under ASan+UBSan, and the
# event-reader and SSE-parser fuzzers for a bounded time each.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
(cd build && ctest --output-on-failure -LE slow -j2)
if [ "${LITEHOUSE_SANITIZE:-${CI:-}}" = "1" ] || [ "${LITEHOUSE_SANITIZE:-${CI:-}}" = "true" ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLITEHOUSE_SANITIZE=ON -DLITEHOUSE_BENCH=OFF >/dev/null
  cmake --build build-asan --target unit_tests sql_test_runner litehouse
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -L 'unit|sql|live' -LE slow -j2)
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLITEHOUSE_FUZZ=ON \
    -DLITEHOUSE_TESTS=OFF -DLITEHOUSE_BENCH=OFF >/dev/null
  cmake --build build-fuzz --target fuzz_event_reader fuzz_sse_parser
  mkdir -p build-fuzz/corpus build-fuzz/sse-corpus
  cp ../shared/data/recentchange/*/*.json* ../shared/data/recentchange/sse-examples/*.txt build-fuzz/corpus/ 2>/dev/null || true
  cp ../shared/data/recentchange/sse-examples/*.txt build-fuzz/sse-corpus/
  build-fuzz/fuzz_event_reader -max_total_time="${LITEHOUSE_FUZZ_SECONDS:-60}" -max_len=65536 -rss_limit_mb=1024 \
    build-fuzz/corpus 2>&1 | tail -3
  build-fuzz/fuzz_sse_parser -max_total_time="${LITEHOUSE_FUZZ_SECONDS:-60}" -max_len=4096 -rss_limit_mb=1024 \
    build-fuzz/sse-corpus 2>&1 | tail -3
  echo "fuzz: 2 passed, 0 failed"
fi

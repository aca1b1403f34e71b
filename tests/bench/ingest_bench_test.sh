#!/usr/bin/env bash
# bench/ingest_bench.sh on 3,000 generated events, twice: its row says what the runs measured —
# the median of the two times, phases within it, the rate, the file's bytes over the input's, the
# payload's average, a peak RSS — and a run that leaves Bronze short of the events stops the
# benchmark with exit 1, naming what it found.
# usage: ingest_bench_test.sh BUILD_DIR DATA_DIR
set -euo pipefail
BUILD="$1"; DATA="$2"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
check() { if [ "$2" != 1 ]; then echo "FAIL $1"; fail=1; fi; }
near() { echo "d = $1 - $2; d < $3 && d > -$3" | bc -l; }

out=$(LITEHOUSE_BUILD="$BUILD" BENCH_DATA="$T" LITEHOUSE_DATA="$DATA" "$SRC/bench/ingest_bench.sh" 3000 2)
echo "$out"
check "the header names the columns" "$(grep -c '^events *seconds *bronze_s *refresh_s *events/s *db/raw *payload/ev *peak_MB *runs$' <<<"$out")"
read -r n secs bronze refresh rate ratio payload peak r1 r2 rest < <(grep '^3000 ' <<<"$out")
check "one row, for 3000 events" "$(grep -c '^3000 ' <<<"$out")"
check "the input holds 3000 events" "$([ "$(wc -l < "$T/events-3000.jsonl")" = 3000 ] && echo 1)"
check "two runs listed" "$([ -n "$r2" ] && [ -z "${rest:-}" ] && echo 1)"
check "seconds is the median of the runs ($secs; $r1 $r2)" "$(near "$secs" "($r1 + $r2) / 2" 0.006)"
check "both phases took time ($bronze, $refresh)" "$(echo "$bronze > 0 && $refresh > 0" | bc -l)"
check "the phases fit in the wall time" "$(echo "$bronze + $refresh <= $secs + 0.05" | bc -l)"
# (seconds is printed to 0.01 s, ~0.4 s here: the rate is checked against the range it allows)
check "events/s = events / seconds ($rate)" \
  "$(echo "$rate >= 3000 / ($secs + 0.005) - 1 && $rate <= 3000 / ($secs - 0.005) + 1" | bc -l)"
db_bytes=$(stat -c %s "$T/bench-3000.db"); raw=$(stat -c %s "$T/events-3000.jsonl")
check "db/raw is the file's bytes over the input's ($ratio)" "$(near "$ratio" "$db_bytes / $raw" 0.0006)"
check "payload/ev is Bronze's average ($payload)" \
  "$(near "$payload" "$(sqlite3 "$T/bench-3000.db" "SELECT avg(length(payload)) FROM bronze_events")" 0.06)"
check "a peak RSS ($peak MB)" "$(echo "$peak > 5 && $peak < 1000" | bc -l)"
check "Gold was built" "$([ "$(sqlite3 "$T/bench-3000.db" "SELECT count(*) > 0 FROM gold_hourly_stats")" = 1 ] && echo 1)"

# A litehouse that takes only the first 100 lines of its input.
mkdir "$T/short"
printf '#!/bin/sh\nhead -n 100 "$3" > "$3.part"; exec %s "$1" "$2" "$3.part"\n' "$BUILD/litehouse" > "$T/short/litehouse"
chmod +x "$T/short/litehouse"
if LITEHOUSE_BUILD="$T/short" BENCH_DATA="$T" LITEHOUSE_DATA="$DATA" "$SRC/bench/ingest_bench.sh" 3000 1 \
     >/dev/null 2>"$T/err"; then
  echo "FAIL a run that lost events was reported"; fail=1
fi
check "the lost events are named" "$(grep -c 'Bronze holds 100 events of 3000 after run 1' "$T/err")"
exit $fail

#!/usr/bin/env bash
# The ingest benchmark of issue 2: `litehouse ingest` file → Gold on N resampled events.
#
#   bench/ingest_bench.sh [SIZES] [RUNS]      e.g. bench/ingest_bench.sh "1000000 5000000" 3
#
# For each size: generates bench/data/events-N.jsonl with bench/gen_events (seed 42; reused when
# present), then runs `litehouse ingest` RUNS times into a fresh database and prints the median
# wall time, events/s, database bytes per raw NDJSON byte, payload bytes per event, and peak RSS
# (GNU time). Build first (scripts/build.sh). The machine is shared: quote medians.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-1000000}"
RUNS="${2:-3}"
export LITEHOUSE_DATA="${LITEHOUSE_DATA:-$(cd .. && pwd)/shared/data}"
. bench/lib.sh  # median
mkdir -p bench/data
printf '%-9s %9s %12s %10s %12s %10s %s\n' events seconds events/s db/raw payload/ev peak_MB runs
for n in $SIZES; do
  input="bench/data/events-$n.jsonl"
  [ -s "$input" ] || build/gen_events "$n" "$input"
  raw=$(stat -c %s "$input")
  times=(); rss=(); size=0; payload=0
  for ((r = 0; r < RUNS; r++)); do
    db="bench/data/bench-$n.db"
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -f '%e %M' -o bench/data/time.txt build/litehouse ingest "$db" "$input" >/dev/null 2>bench/data/ingest.log
    read -r secs kb < bench/data/time.txt
    times+=("$secs"); rss+=("$kb")
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    size=$(stat -c %s "$db")
    payload=$(sqlite3 "$db" "SELECT round(avg(length(payload)), 1) FROM bronze_events")
  done
  med=$(printf '%s\n' "${times[@]}" | median)
  peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  printf '%-9s %9.2f %12.0f %10.3f %12s %10.0f %s\n' "$n" "$med" "$(echo "$n / $med" | bc -l)" \
    "$(echo "$size / $raw" | bc -l)" "$payload" "$(echo "$peak / 1024" | bc -l)" "${times[*]}"
done

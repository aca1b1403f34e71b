#!/usr/bin/env bash
# The ingest benchmark of issue 2: `litehouse ingest` file → Gold on N resampled events.
#
#   bench/ingest_bench.sh [SIZES] [RUNS]      e.g. bench/ingest_bench.sh "1000000 5000000" 3
#
# For each size: generates $BENCH_DATA/events-N.jsonl with gen_events (seed 42; reused when
# present), then runs `litehouse ingest` RUNS times into a fresh database and prints the median
# wall time and its two phases (Bronze: the file read and written; refresh: Silver, data quality
# and Gold — each from the ingest's own log line), events/s, database bytes per raw NDJSON byte,
# payload bytes per event, and peak RSS (GNU time). A run that leaves Bronze without all N events
# stops the benchmark (exit 1): a figure of a run that lost events is no figure.
# LITEHOUSE_BUILD: where litehouse and gen_events are (default build; scripts/build.sh makes it);
# BENCH_DATA: where the inputs and databases go (default bench/data). The machine is shared:
# quote medians.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-1000000}"
RUNS="${2:-3}"
BUILD="${LITEHOUSE_BUILD:-build}"
DATA="${BENCH_DATA:-bench/data}"
export LITEHOUSE_DATA="${LITEHOUSE_DATA:-$(cd .. && pwd)/shared/data}"
. bench/lib.sh  # median
mkdir -p "$DATA"
printf '%-9s %9s %9s %9s %12s %10s %12s %10s %s\n' events seconds bronze_s refresh_s events/s db/raw payload/ev \
  peak_MB runs
for n in $SIZES; do
  input="$DATA/events-$n.jsonl"
  [ -s "$input" ] || "$BUILD/gen_events" "$n" "$input"
  raw=$(stat -c %s "$input")
  times=(); bronze=(); refresh=(); rss=(); size=0; payload=0
  for ((r = 0; r < RUNS; r++)); do
    db="$DATA/bench-$n.db"
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -f '%e %M' -o "$DATA/time.txt" "$BUILD/litehouse" ingest "$db" "$input" >/dev/null \
      2>"$DATA/ingest.log"
    read -r secs kb < "$DATA/time.txt"
    times+=("$secs"); rss+=("$kb")
    # "FILE: N events, N new, ... in 15.45 s (...)" and "refresh: ... in 48.67 s"
    bronze+=("$(sed -n 's/^.*: [0-9]* events, .* in \([0-9.]*\) s (.*$/\1/p' "$DATA/ingest.log" | tail -1)")
    refresh+=("$(sed -n 's/^refresh: .* in \([0-9.]*\) s$/\1/p' "$DATA/ingest.log" | tail -1)")
    rows=$(sqlite3 "$db" "SELECT count(*) FROM bronze_events")
    if [ "$rows" != "$n" ]; then
      echo "ingest_bench: Bronze holds $rows events of $n after run $((r + 1)) (see $DATA/ingest.log)" >&2
      exit 1
    fi
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    size=$(stat -c %s "$db")
    payload=$(sqlite3 "$db" "SELECT round(avg(length(payload)), 1) FROM bronze_events")
  done
  med=$(printf '%s\n' "${times[@]}" | median)
  peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  printf '%-9s %9.2f %9s %9s %12.0f %10.3f %12s %10.0f %s\n' "$n" "$med" \
    "$(printf '%s\n' "${bronze[@]}" | grep . | median)" "$(printf '%s\n' "${refresh[@]}" | grep . | median)" \
    "$(echo "$n / $med" | bc -l)" "$(echo "$size / $raw" | bc -l)" "$payload" "$(echo "$peak / 1024" | bc -l)" \
    "${times[*]}"
done

#!/usr/bin/env bash
# Edit → Gold freshness of the live loop.
#
# `litehouse replay-server --retime --loop` serves every real recording, rewriting each event's
# meta.dt to the moment it is sent; `litehouse run` follows it, and reports (over the whole run)
# how long each event took from that moment to the commit of the refresh that put it into Gold.
# Rates: 50 events/s (about the live stream), 500 (ten times it) and 5,000; then the server
# unthrottled, which gives the maximum sustained rate. Medians over RUNS runs.
# With SOAK_SECONDS > 0, a soak at SOAK_RATE events/s samples the client's RSS every 10 s.
#
# usage: bench/freshness_bench.sh [SECONDS_PER_RUN=60] [RUNS=3] [SOAK_SECONDS=0] [SOAK_RATE=500]
# The peers (Kafka + Spark micro-batches) cannot run on this machine; their published figures
# are 3 minutes to Bronze and 25-35 minutes to Gold, and the ratio printed is against 25 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-60}
RUNS=${2:-3}
SOAK_SECONDS=${3:-0}
SOAK_RATE=${4:-500}
LH=${LITEHOUSE:-build/litehouse}
DATA=${LITEHOUSE_DATA:-../shared/data}
FILES=$(ls "$DATA"/recentchange/*/*.json "$DATA"/recentchange/*/*.jsonl)
WORK=$(mktemp -d /tmp/litehouse-freshness.XXXXXX)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$WORK"' EXIT

start_server() {  # start_server RATE → sets SERVER_PID, URL
  local rate=$1
  rm -f "$WORK/port"
  # shellcheck disable=SC2086
  "$LH" replay-server $FILES --port 0 --port-file "$WORK/port" --retime --loop --canary-every 1000 --quiet \
    ${rate:+--rate $rate} >/dev/null 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
  URL="http://127.0.0.1:$(cat "$WORK/port")/v2/stream/recentchange"
}

. bench/lib.sh  # median (the script runs from the top of the tree)

run_once() {  # run_once RATE → prints "rate_achieved p50 p99 max"
  local rate=$1 db="$WORK/f.db"
  rm -f "$db" "$db-wal" "$db-shm"
  start_server "$rate"
  local line
  line=$("$LH" run "$db" --url "$URL" --contact bench@litehouse.invalid --duration "$SECONDS_PER_RUN" --quiet 2>&1 |
         grep 'stopped;')
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  local received p50 p99 max
  received=$(sed -E 's/.*stopped; ([0-9]+) events received.*/\1/' <<<"$line")
  p50=$(sed -E 's/.*p50 ([0-9.]+) s.*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99 ([0-9.]+) s.*/\1/' <<<"$line")
  max=$(sed -E 's/.*max ([0-9.]+) s.*/\1/' <<<"$line")
  echo "$(echo "$received / $SECONDS_PER_RUN" | bc -l) $p50 $p99 $max"
}

echo "litehouse $("$LH" --version | cut -d' ' -f2); $SECONDS_PER_RUN s per run, median of $RUNS runs; $(nproc) cores"
printf '%-12s %12s %10s %10s %10s %16s\n' target_ev/s achieved_ev/s p50_s p99_s max_s vs_spark_25min
for rate in 50 500 5000 unthrottled; do
  r=$rate; [ "$rate" = unthrottled ] && r=""
  : >"$WORK/results"
  for _ in $(seq "$RUNS"); do run_once "$r" >>"$WORK/results"; done
  achieved=$(cut -d' ' -f1 "$WORK/results" | median)
  p50=$(cut -d' ' -f2 "$WORK/results" | median)
  p99=$(cut -d' ' -f3 "$WORK/results" | median)
  max=$(cut -d' ' -f4 "$WORK/results" | median)
  ratio=$(echo "1500 / $p99" | bc -l)
  printf '%-12s %12.0f %10.3f %10.3f %10.3f %15.0fx\n' "$rate" "$achieved" "$p50" "$p99" "$max" "$ratio"
done

if [ "$SOAK_SECONDS" -gt 0 ]; then
  db="$WORK/soak.db"
  start_server "$SOAK_RATE"
  "$LH" run "$db" --url "$URL" --contact bench@litehouse.invalid --duration "$SOAK_SECONDS" --quiet \
    >"$WORK/soak.log" 2>&1 &
  client=$!
  echo "soak: $SOAK_SECONDS s at $SOAK_RATE events/s; RSS of the client every 10 s (MiB):"
  samples=""
  while kill -0 "$client" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$client/status" 2>/dev/null || true)
    [ -n "$rss" ] && samples="$samples $((rss / 1024))"
    sleep 10
  done
  wait "$client" || true
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  echo "  $samples"
  tail -1 "$WORK/soak.log"
  read -r -a s <<<"$samples"
  n=${#s[@]}
  if [ "$n" -ge 4 ]; then
    q=$((n / 4))
    early=$(printf '%s\n' "${s[@]:q:q}" | median)
    late=$(printf '%s\n' "${s[@]:n-q:q}" | median)
    peak=$(printf '%s\n' "${s[@]}" | sort -n | tail -1)
    echo "  peak $peak MiB; median of the 2nd quarter $early MiB, of the last quarter $late MiB ($(echo "($late - $early) * 100 / $early" | bc -l | xargs printf '%+.1f')%)"
  fi
  "$LH" "$db" "SELECT 'ingest_stats: minutes', count(*), 'p99 of per-minute p99 (ms)', max(freshness_p99_ms), 'refresh ms max', max(refresh_ms_max) FROM ingest_stats"
fi

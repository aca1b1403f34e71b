#!/usr/bin/env bash
# What one refresh of a fixed batch costs as history grows (Gold is maintained by deltas: it
# should not grow).
#
# For each N: gen_events writes N + BATCH events at RATE events/s; the first N are ingested and
# refreshed, then the last BATCH — and the time of that second refresh is the figure. Per Gold
# model times come from LITEHOUSE_TRACE.
#   live:    bench/refresh_cost_bench.sh "180000 720000" 3            (12 events = a 250 ms batch
#            at the live stream's 50 events/s; N events cover N/50 s of one day)
#   growth:  bench/refresh_cost_bench.sh "100000 1000000 5000000" 1 10000 100   (issue 5: 10K new
#            events after 100K, 1M and 5M of history)
#   DIRTY=1: also the pages the batch's ingest dirtied, by table (bench/wal_pages.py; the stock
#            sqlite3 with the extension, WAL kept) — what makes a batch cost more after more history
#
# usage: bench/refresh_cost_bench.sh ["SIZES"=180000 720000] [RUNS=3] [BATCH=12] [RATE=50]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-"180000 720000"}
RUNS=${2:-3}
BATCH=${3:-12}
RATE=${4:-50}
LH=${LITEHOUSE:-build/litehouse}
EXT=${LITEHOUSE_EXTENSION:-build/litehouse.so}
GEN=${GEN_EVENTS:-build/gen_events}
WORK=$(mktemp -d /tmp/litehouse-refresh-cost.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

. bench/lib.sh  # median (the script runs from the top of the tree)

# cold: the batch is ingested by a new process (SQLite's page cache starts empty: a cron job).
# warm (with WARM=1; it doubles the run time): the same shell session ingests the history and
#       then the batch (the page cache holds what the history's refresh left, as in a
#       long-running `litehouse run`).
last_models() {  # the Gold models' times of the last refresh in a trace
  grep -E 'refresh_3[0-9]_gold_' "$1" | tail -6 |
    sed -E 's/.*refresh_3[0-9]_gold_([a-z_0-9]+)\.sql ([0-9.]+) s.*/\1 \2/' | tr '\n' ' '
}
printf '%-10s %-10s %8s %8s   %s\n' events day_covered cold_s warm_s "per model, cold | warm (last run)"
for n in $SIZES; do
  "$GEN" $((n + BATCH)) "$WORK/all.jsonl" --rate "$RATE" >/dev/null
  head -n "$n" "$WORK/all.jsonl" >"$WORK/day.jsonl"
  tail -n "$BATCH" "$WORK/all.jsonl" >"$WORK/batch.jsonl"
  rm -f "$WORK/all.jsonl"
  : >"$WORK/cold"
  : >"$WORK/warm"
  : >"$WORK/trace_warm"
  for run in $(seq "$RUNS"); do
    rm -f "$WORK"/d.db*
    "$LH" ingest "$WORK/d.db" "$WORK/day.jsonl" >/dev/null 2>&1
    # DIRTY counts the last run's batch only: one copy of the history (4 GB at 5M), not one a run
    [ "${DIRTY:-0}" = 1 ] && [ "$run" = "$RUNS" ] && cp "$WORK/d.db" "$WORK/history.db"
    LITEHOUSE_TRACE=1 "$LH" ingest "$WORK/d.db" "$WORK/batch.jsonl" 2>"$WORK/trace" >/dev/null
    grep -oE 'in [0-9.]+ s$' "$WORK/trace" | tail -1 | awk '{print $2}' >>"$WORK/cold"
    [ "${WARM:-0}" = 1 ] || continue
    rm -f "$WORK"/d.db*
    printf '.ingest %s\n.ingest %s\n' "$WORK/day.jsonl" "$WORK/batch.jsonl" |
      LITEHOUSE_TRACE=1 "$LH" "$WORK/d.db" >/dev/null 2>"$WORK/trace_warm"
    grep -oE 'in [0-9.]+ s$' "$WORK/trace_warm" | tail -1 | awk '{print $2}' >>"$WORK/warm"
  done
  rm -f "$WORK"/d.db*
  printf '%-10s %-10s %8s %8s   %s| %s\n' "$n" "$(echo "$n / $RATE / 3600" | bc -l | xargs printf '%.1f h')" \
    "$(median <"$WORK/cold")" "$(median <"$WORK/warm")" "$(last_models "$WORK/trace")" "$(last_models "$WORK/trace_warm")"
  if [ "${DIRTY:-0}" = 1 ]; then  # the last run's history again, the batch's writes left in the WAL
    sqlite3 "$WORK/history.db" ".dbconfig no_ckpt_on_close on" ".load $EXT" "PRAGMA wal_autocheckpoint = 0" \
      "SELECT lh_ingest('$WORK/batch.jsonl')" >/dev/null
    python3 bench/wal_pages.py "$WORK/history.db" | sed 's/^/    /'
    rm -f "$WORK"/history.db*
  fi
done

#!/usr/bin/env bash
# Issue 5's growth figure: one refresh of a fixed batch of new events after N events of history.
#
#   bench/growth_bench.sh [SIZES="100000 1000000 5000000"] [RUNS=6] [BATCH=10000]
#
# For each N it makes (or reuses) $DIR/hist-N.db — the first N events of `gen_events N+BATCH
# --rate 100` ingested by this build — and $DIR/batch-N.jsonl, the last BATCH events. Each run
# copies the history (cold: `cp; sync`, a new process, as a cron job would find it) and ingests
# the batch; the figure is the refresh's seconds (the `refresh: … in S s` line). Runs alternate
# between the sizes, so the machine's drift falls on all of them alike. It prints every run, the
# medians, and the ratio of the last size's median to the first's (issue 5 asks for ≤ 1.2).
#
# DIR is bench/data/growth unless set. A history is reused as long as its file is there: delete it
# (or set REBUILD=1) after a change to the schema or to Gold's model, or the first refresh would
# rebuild Gold and time that instead. Build first (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-"100000 1000000 5000000"}
RUNS=${2:-6}
BATCH=${3:-10000}
LH=${LITEHOUSE:-build/litehouse}
GEN=${GEN_EVENTS:-build/gen_events}
DIR=${DIR:-bench/data/growth}
export LITEHOUSE_DATA="${LITEHOUSE_DATA:-$(cd .. && pwd)/shared/data}"  # gen_events' recordings
mkdir -p "$DIR"
# (all.jsonl and day-N.jsonl too: a history that failed half-way leaves up to 6 GB of them at 5M)
trap 'rm -f "$DIR"/times-*.$$ "$DIR/scratch.db" "$DIR/scratch.db-wal" "$DIR/scratch.db-shm" "$DIR/run.log" \
  "$DIR/all.jsonl" "$DIR"/day-*.jsonl' EXIT

. bench/lib.sh  # median (the script runs from the top of the tree)

for n in $SIZES; do
  if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$DIR/hist-$n.db" ] || [ ! -f "$DIR/batch-$n.jsonl" ]; then
    rm -f "$DIR/hist-$n.db" "$DIR/hist-$n.db-wal" "$DIR/hist-$n.db-shm"
    "$GEN" $((n + BATCH)) "$DIR/all.jsonl" --rate 100 >/dev/null
    head -n "$n" "$DIR/all.jsonl" >"$DIR/day-$n.jsonl"
    tail -n "$BATCH" "$DIR/all.jsonl" >"$DIR/batch-$n.jsonl"
    rm -f "$DIR/all.jsonl"
    "$LH" ingest "$DIR/hist-$n.db" "$DIR/day-$n.jsonl" >/dev/null 2>"$DIR/hist-$n.log" ||
      { cat "$DIR/hist-$n.log" >&2; exit 1; }
    sqlite3 "$DIR/hist-$n.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    rm -f "$DIR/day-$n.jsonl"
  fi
done

for run in $(seq "$RUNS"); do
  for n in $SIZES; do
    rm -f "$DIR/scratch.db" "$DIR/scratch.db-wal" "$DIR/scratch.db-shm"
    cp "$DIR/hist-$n.db" "$DIR/scratch.db"
    sync
    "$LH" ingest "$DIR/scratch.db" "$DIR/batch-$n.jsonl" >/dev/null 2>"$DIR/run.log"
    s=$(sed -n 's/^refresh: .* in \([0-9.]*\) s$/\1/p' "$DIR/run.log" | tail -1)
    if [ -z "$s" ]; then
      echo "growth: no refresh line after $n events of history:" >&2
      cat "$DIR/run.log" >&2
      exit 1
    fi
    echo "$s" >>"$DIR/times-$n.$$"
  done
done

printf '%-10s %-8s %10s   %s\n' history batch median_s runs
first="" last=""
for n in $SIZES; do
  m=$(median <"$DIR/times-$n.$$")
  printf '%-10s %-8s %10s   %s\n' "$n" "$BATCH" "$m" "$(tr '\n' ' ' <"$DIR/times-$n.$$")"
  [ -z "$first" ] && first=$m
  last=$m
done
awk -v a="$first" -v b="$last" 'BEGIN {printf "ratio (last history / first): %.2f x\n", b / a}'

#!/usr/bin/env bash
# What data quality costs a refresh (issue 4's target: ≤ 10% of refresh time at 1M events).
#
# For each size N: `litehouse ingest` of N resampled events (bench/gen_events, seed 42) with
# LITEHOUSE_TRACE=1, then: the time of the batch's data-quality scripts (sql/dq_*.sql: batch
# statistics, the profile, Gold's scope) from the trace, plus the time of every rule of the run
# (dq_results.duration_ms), against the refresh's total. Medians over RUNS.
#
# usage: bench/dq_cost_bench.sh ["SIZES"=1000000] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${1:-1000000}
RUNS=${2:-3}
LH=${LITEHOUSE:-build/litehouse}
export LITEHOUSE_DATA="${LITEHOUSE_DATA:-$(cd .. && pwd)/shared/data}"
WORK=$(mktemp -d /tmp/litehouse-dq-cost.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p bench/data

. bench/lib.sh  # median (the script runs from the top of the tree)

printf '%-9s %10s %8s %8s %8s %8s   %s\n' events refresh_s dq_s share rules_s scripts_s "slowest rules (last run)"
for n in $SIZES; do
  input="bench/data/events-$n.jsonl"
  [ -s "$input" ] || build/gen_events "$n" "$input"
  : >"$WORK/refresh"; : >"$WORK/dq"; : >"$WORK/rules"; : >"$WORK/scripts"
  for _ in $(seq "$RUNS"); do
    rm -f "$WORK/d.db" "$WORK/d.db-wal" "$WORK/d.db-shm"
    LITEHOUSE_TRACE=1 "$LH" ingest "$WORK/d.db" "$input" >/dev/null 2>"$WORK/trace"
    refresh=$(grep -oE 'Gold hours in [0-9.]+ s' "$WORK/trace" | tail -1 | awk '{print $4}')
    scripts=$(grep -E 'trace: sql/dq_' "$WORK/trace" | awk '{s += $3} END {printf "%.3f", s}')
    rules=$(sqlite3 "$WORK/d.db" "SELECT printf('%.3f', sum(duration_ms) / 1000) FROM dq_results")
    slowest=$(sqlite3 -separator ' ' "$WORK/d.db" \
      "SELECT rule, printf('%.2f', duration_ms / 1000) FROM dq_results ORDER BY duration_ms DESC LIMIT 4" | tr '\n' ' ')
    echo "$refresh" >>"$WORK/refresh"
    echo "$rules" >>"$WORK/rules"
    echo "$scripts" >>"$WORK/scripts"
    echo "$rules + $scripts" | bc -l >>"$WORK/dq"
  done
  r=$(median <"$WORK/refresh"); d=$(median <"$WORK/dq")
  printf '%-9s %10s %8.2f %7.1f%% %8s %8s   %s\n' "$n" "$r" "$d" "$(echo "100 * $d / $r" | bc -l)" \
    "$(median <"$WORK/rules")" "$(median <"$WORK/scripts")" "$slowest"
done

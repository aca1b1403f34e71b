#!/usr/bin/env bash
# bench/query_bench.py: the tour's ten queries, timed, with their layer, rows and plan. On the
# recording the tour's fixed hour comes from (2024-08-22 04h) every query returns rows through an
# index; on another recording the queries bound to that hour return nothing and are reported as
# not measured (exit 1), never as a pass. (The times are the benchmark's business, not a test's.)
# usage: query_bench_test.sh LITEHOUSE PYTHON DATA_DIR
set -euo pipefail
LH="$1"; PY="$2"; DATA="$3"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
RC="$DATA/recentchange"
"$LH" ingest "$T/tour.db" "$RC/yearfunla-wikiMedia_stream_monitor/recentchange_raw.json" >/dev/null 2>&1
"$LH" ingest "$T/other.db" "$RC/electricsql-rag/output.json" >/dev/null 2>&1
fail=0
expect() { if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; fi; }
out=$("$PY" "$SRC/bench/query_bench.py" "$T/tour.db" 3) || true
queries=$(grep -E '^[0-9]+\. ' <<<"$out")
expect "tour database: ten queries" 10 "$(wc -l <<<"$queries")"
expect "tour database: every query through an index" 10 "$(grep -cE '[0-9]+  index( |$)' <<<"$queries")"
expect "tour database: no query without rows" 0 "$(grep -c 'no rows' <<<"$queries" || true)"
rc=0; out=$("$PY" "$SRC/bench/query_bench.py" "$T/other.db" 3) || rc=$?
expect "other database: exit" 1 "$rc"
expect "other database: query 8 not measured" 1 "$(grep -E '^8\. ' <<<"$out" | grep -c 'MISSED (no rows: not measured)' || true)"
expect "other database: query 1 has rows" 0 "$(grep -E '^1\. ' <<<"$out" | grep -c 'no rows' || true)"
[ "$fail" = 0 ] && echo "query_bench: the tour's hour measured, an absent hour reported as not measured"
exit "$fail"

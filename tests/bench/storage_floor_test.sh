#!/usr/bin/env bash
# bench/storage_floor.sh on 20,000 generated events: the copies hold every row (the script checks
# and exits 1 otherwise), each stage took time, the floor is the stages less the reading, the rate
# is the events over the floor, and the copy's bytes are the source's three layers' (the same rows
# and definitions), with the stock sqlite3 and no litehouse extension: Bronze's copy does not decode
# its payloads (bronze_fields() would be an unknown function). A database without Bronze rows, one
# whose Silver is still the old table, or a missing input is refused.
# usage: storage_floor_test.sh LITEHOUSE GEN_EVENTS DATA_DIR
set -euo pipefail
LH="$1"; GEN="$2"; DATA="$3"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
check() { if [ "$2" != 1 ]; then echo "FAIL $1"; fail=1; fi; }

LITEHOUSE_DATA="$DATA" "$GEN" 20000 "$T/in.jsonl" >/dev/null
"$LH" ingest "$T/lh.db" "$T/in.jsonl" >/dev/null 2>&1
sqlite3 "$T/lh.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
out=$("$SRC/bench/storage_floor.sh" "$T/lh.db" "$T/in.jsonl" 1)
echo "$out"
gold_tables=$(sqlite3 "$T/lh.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND (name GLOB 'gold_*' OR name GLOB 'lh_gold_*')")
check "the header counts the rows and tables" "$(grep -c "^storage floor: 20000 Bronze rows, $(sqlite3 "$T/lh.db" "SELECT count(*) FROM silver_events") Silver rows, Gold $gold_tables tables" <<<"$out")"
raw=$(stat -c %s "$T/in.jsonl")
read -r src_bronze src_all < <(sqlite3 -separator ' ' "$T/lh.db" "SELECT sum(CASE WHEN name IN ('bronze_events',
  'sqlite_autoindex_bronze_events_1') THEN pgsize END), sum(CASE WHEN tbl_name IN ('bronze_events', 'silver_events_stored')
  OR tbl_name GLOB 'gold_*' OR tbl_name GLOB 'lh_gold_*' THEN pgsize END) FROM dbstat JOIN sqlite_schema USING (name)")
for mode in wal nojournal; do
  read -r _ r b s i g f rate bronze all < <(grep "^$mode " <<<"$out")
  check "$mode: every stage took time" "$(echo "$b > 0 && $s > 0 && $i > 0 && $g > 0 && $r > 0" | bc)"
  check "$mode: floor = stages - reading" "$(echo "d = $b + $s + $i + $g - $r - $f; d < 0.004 && d > -0.004" | bc)"
  if [ "$rate" != - ]; then
    check "$mode: rate = events / floor" "$(echo "d = $rate * $f / 20000 - 1; d < 0.01 && d > -0.01" | bc -l)"
  fi
  check "$mode: Bronze's bytes are the source's ($bronze)" "$(echo "d = $bronze - $src_bronze / $raw; d < 0.02 && d > -0.02" | bc -l)"
  check "$mode: all bytes are the source's three layers' ($all)" "$(echo "d = $all - $src_all / $raw; d < 0.03 && d > -0.03" | bc -l)"
done

sqlite3 "$T/empty.db" "CREATE TABLE bronze_events (x); CREATE TABLE silver_events (y);"
if "$SRC/bench/storage_floor.sh" "$T/empty.db" "$T/in.jsonl" 1 2>"$T/err"; then echo "FAIL an empty database was measured"; fail=1; fi
check "an empty database is named" "$(grep -c "holds no Bronze rows" "$T/err")"
sqlite3 "$T/old.db" "CREATE TABLE bronze_events (x); INSERT INTO bronze_events VALUES (1); CREATE TABLE silver_events (y);"
if "$SRC/bench/storage_floor.sh" "$T/old.db" "$T/in.jsonl" 1 2>"$T/err"; then echo "FAIL a Silver table of the old layout was measured"; fail=1; fi
check "the old layout is named, with what to do" "$(grep -c "open it once with litehouse" "$T/err")"
if "$SRC/bench/storage_floor.sh" "$T/lh.db" "$T/missing.jsonl" 1 2>"$T/err"; then echo "FAIL a missing input was measured"; fail=1; fi
check "a missing input is named" "$(grep -c "no input" "$T/err")"
[ "$fail" = 0 ] && echo "storage_floor: as expected"
exit "$fail"

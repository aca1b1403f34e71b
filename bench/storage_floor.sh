#!/usr/bin/env bash
# The storage floor: what SQLite alone spends storing litehouse's three layers, and the bytes they
# take. Any pipeline that keeps these tables in SQLite spends at least this, before it parses,
# compresses, aggregates or checks anything; issue 2's and issue 5's rate and size targets are
# measured against it.
#
#   bench/storage_floor.sh DB INPUT [RUNS=3]
#
# DB is a litehouse database of INPUT (compare_bench.sh leaves bench/data/compare-litehouse-N.db;
# `litehouse ingest DB INPUT` makes one). Each run copies DB's rows as they are stored (payloads
# already compressed, Silver's fields already extracted, Gold already aggregated) into a fresh
# file with the same table and index definitions, with the stock sqlite3 (the SQLite litehouse
# links) and one INSERT ... SELECT per table, each its own transaction: Bronze (its event_id index
# included), Silver, Silver's indexes (built after the rows, as a backfill does), then Gold and
# the state its deltas keep (gold_*, lh_gold_*; their indexes after). Two modes:
#   wal        litehouse's settings: WAL, SQLite's default synchronous (FULL), a 64 MiB page cache
#   nojournal  no journal and no syncs: the least SQLite can do (not crash-safe)
# The modes alternate run by run. Per mode it prints the median seconds of each stage and of
# reading the rows (a scan of every source table taking max() of every column, which costs at
# least what the copies spend reading, so the floor, which leaves it out, is if anything low);
# the floor (the stages less the reading); the events/s that floor allows; and the copy's bytes
# per input byte: Bronze with its index, and all of it. Exits 1 when a copy does not hold every
# row. Bronze's `decoded` is a generated column that is not stored; SQLite computes it on every
# insert all the same (litehouse's writer makes it NULL there: engine/bronze_codec.h), so the copy
# defines it as coalesce(payload, ...) — no decoding, and no need of litehouse's extension.
set -euo pipefail
DB=${1:?usage: storage_floor.sh DB INPUT [RUNS]}
INPUT=${2:?usage: storage_floor.sh DB INPUT [RUNS]}
RUNS=${3:-3}
[ -f "$DB" ] || { echo "storage_floor: no database $DB" >&2; exit 1; }
[ -f "$INPUT" ] || { echo "storage_floor: no input $INPUT" >&2; exit 1; }
SRC=$(realpath "$DB")
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

q() { sqlite3 -batch "$SRC" "$1"; }
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"  # median

events=$(q "SELECT count(*) FROM bronze_events")
[ "$events" -gt 0 ] || { echo "storage_floor: $DB holds no Bronze rows" >&2; exit 1; }
# Silver's table (silver_events is a view over it). A database made before that has none until
# litehouse opens it once and moves its Silver over.
silver=silver_events_stored
[ "$(q "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '$silver'")" = 1 ] ||
  { echo "storage_floor: $DB has no $silver (made before Silver became a view: open it once with litehouse)" >&2; exit 1; }
silver_rows=$(q "SELECT count(*) FROM $silver")
raw=$(stat -c %s "$INPUT")
# Stored columns only (generated ones are hidden 2 or 3), and the definitions as DB has them.
cols() { q "SELECT group_concat(name, ', ') FROM pragma_table_xinfo('$1') WHERE hidden = 0"; }
maxes() { q "SELECT group_concat('max(' || name || ')', ', ') FROM pragma_table_xinfo('$1') WHERE hidden = 0"; }
bronze_cols=$(cols bronze_events)
silver_cols=$(cols $silver)
# Gold and the state its deltas keep (lh_gold_*), written whole as a backfill's refresh ends.
gold_tables=$(q "SELECT name FROM sqlite_schema WHERE type = 'table' AND (name GLOB 'gold_*' OR name GLOB 'lh_gold_*')")
in_layers="(name IN ('bronze_events', '$silver') OR name GLOB 'gold_*' OR name GLOB 'lh_gold_*')"
# Each stage's statements follow a `.print @stage` line; the timer prints a line after each.
{
  q "SELECT replace(sql, 'bronze_fields(', 'coalesce(') || ';' FROM sqlite_schema WHERE type = 'table' AND $in_layers"
  echo ".timer on"
  echo ".print @read"
  echo "SELECT $(maxes bronze_events) FROM src.bronze_events;"
  echo "SELECT $(maxes $silver) FROM src.$silver;"
  for t in $gold_tables; do echo "SELECT $(maxes "$t") FROM src.$t;"; done
  echo ".print @bronze"
  echo "INSERT INTO main.bronze_events ($bronze_cols) SELECT $bronze_cols FROM src.bronze_events;"
  echo ".print @silver"
  echo "INSERT INTO main.$silver ($silver_cols) SELECT $silver_cols FROM src.$silver;"
  echo ".print @index"
  q "SELECT sql || ';' FROM sqlite_schema WHERE type = 'index' AND tbl_name = '$silver' AND sql IS NOT NULL"
  echo ".print @gold"
  for t in $gold_tables; do echo "INSERT INTO main.$t SELECT * FROM src.$t;"; done
  q "SELECT sql || ';' FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
       AND (tbl_name GLOB 'gold_*' OR tbl_name GLOB 'lh_gold_*')"
  echo ".timer off"
  echo "SELECT (SELECT count(*) FROM main.bronze_events) = $events AND (SELECT count(*) FROM main.$silver) = $silver_rows"
  for t in $gold_tables; do echo "  AND (SELECT count(*) FROM main.$t) = $(q "SELECT count(*) FROM $t")"; done
  echo ";"
} >"$T/copy.sql"
settings() {
  case $1 in
    wal) echo "PRAGMA journal_mode = WAL;" ;;
    nojournal) echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" ;;
  esac
  echo "PRAGMA cache_size = -65536;"
  echo "ATTACH '$SRC' AS src;"
}

for run in $(seq "$RUNS"); do
  for mode in wal nojournal; do
    rm -f "$T/copy.db" "$T/copy.db-wal" "$T/copy.db-shm"
    { settings "$mode"; cat "$T/copy.sql"; } | sqlite3 -batch "$T/copy.db" >"$T/out" 2>&1 ||
      { cat "$T/out" >&2; exit 1; }
    [ "$(tail -1 "$T/out")" = 1 ] || { echo "storage_floor: the $mode copy does not hold every row" >&2; cat "$T/out" >&2; exit 1; }
    # Seconds per stage: "read bronze silver index gold".
    awk '/^@/ {stage = substr($1, 2)} /^Run Time: real/ {t[stage] += $4}
         END {printf "%.3f %.3f %.3f %.3f %.3f\n", t["read"], t["bronze"], t["silver"], t["index"], t["gold"]}' \
      "$T/out" >>"$T/$mode.times"
  done
  if [ "$run" = 1 ]; then  # bytes (the same every run): after the last mode's copy, WAL-less
    sqlite3 -batch "$T/copy.db" "SELECT sum(CASE WHEN name IN ('bronze_events', 'sqlite_autoindex_bronze_events_1')
                                  THEN pgsize END), sum(pgsize) FROM dbstat" >"$T/bytes"
  fi
done

IFS='|' read -r bronze_bytes all_bytes <"$T/bytes"
echo "storage floor: $events Bronze rows, $silver_rows Silver rows, Gold $(echo $gold_tables | wc -w) tables; input $raw bytes; $RUNS runs per mode, medians"
printf '%-10s %7s %8s %8s %8s %7s %8s %10s %10s %7s\n' mode read_s bronze_s silver_s index_s gold_s floor_s events/s \
  bronze/in all/in
for mode in wal nojournal; do
  for f in 1 2 3 4 5; do eval "m$f=$(cut -d' ' -f$f "$T/$mode.times" | median)"; done
  floor=$(echo "$m2 + $m3 + $m4 + $m5 - $m1" | bc -l)
  rate=-  # (a tiny database's floor can be lost in the timer's noise)
  [ "$(echo "$floor > 0" | bc)" = 1 ] && rate=$(printf '%.0f' "$(echo "$events / $floor" | bc -l)")
  printf '%-10s %7.3f %8.3f %8.3f %8.3f %7.3f %8.3f %10s %10.3f %7.3f\n' "$mode" "$m1" "$m2" "$m3" "$m4" "$m5" "$floor" \
    "$rate" "$(echo "$bronze_bytes / $raw" | bc -l)" "$(echo "$all_bytes / $raw" | bc -l)"
done

#!/usr/bin/env bash
# Issue 5's side-by-side benchmark: the same work on the same file by litehouse and its peers.
#
#   bench/compare_bench.sh [SIZES] [RUNS]      default: "200000 1000000 5000000" 3
#
# For each size N it uses bench/data/events-N.jsonl (made by bench/gen_events, seed 42, when
# missing) and runs, one after another, RUNS times each into a fresh output:
#   litehouse  `litehouse ingest` (Bronze with the raw events zstd-compressed, Silver, Gold, DQ)
#   sqlite3    the stock sqlite3 CLI running bench/peers/sqlite3_pipeline.sql (JSON1; raw kept)
#   duckdb     DuckDB through the npm package @duckdb/node-api running bench/peers/duckdb_pipeline.sql
#              (read_json; no raw kept). Installed into bench/data/duckdb on first use; skipped
#              with a message where node or npm is missing.
# and prints per tool: the median wall seconds, events/s, peak RSS (GNU time), output bytes per
# input byte, and lh_speedup = its seconds / litehouse's (above 1: litehouse is faster). It also
# prints the physical limits: simdjson parsing the file and nothing else (bench/parse_limit), and
# litehouse's rate as a fraction of it; and SQLite storing litehouse's Bronze, Silver and Gold
# rows and nothing else (bench/storage_floor.sh, crash-safe mode), and litehouse's time as a
# multiple of it.
#
# A faster wrong answer does not count: every tool's Gold is printed as lines by
# bench/peers/gold_lines.sql and compared with litehouse's; a difference is reported and makes the
# script exit 1. Build first (scripts/build.sh). The machine is shared: quote medians.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-200000 1000000 5000000}"
RUNS="${2:-3}"
export LITEHOUSE_DATA="${LITEHOUSE_DATA:-$(cd .. && pwd)/shared/data}"
out=bench/data
mkdir -p "$out"
peers=bench/peers
status=0

. bench/lib.sh  # median (the script runs from the top of the tree)

# DuckDB, through node: install the package once.
duck=""
if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -d "$out/duckdb/node_modules/@duckdb/node-api" ]; then
    mkdir -p "$out/duckdb"
    (cd "$out/duckdb" && npm init -y >/dev/null && npm install --silent @duckdb/node-api@1.5.6-r.1 >/dev/null) ||
      echo "duckdb: npm install @duckdb/node-api failed; DuckDB is skipped" >&2
  fi
  if [ -d "$out/duckdb/node_modules/@duckdb/node-api" ]; then
    cp "$peers/duckdb_run.mjs" "$out/duckdb/"
    duck=$(grep -m1 '"version"' "$out/duckdb/node_modules/@duckdb/node-api/package.json" | cut -d'"' -f4)
  fi
else
  echo "duckdb: node or npm is missing; DuckDB is skipped" >&2
fi

# The reference table as CSV for DuckDB, from the project's own SQL.
sqlite3 -csv -header :memory: ".read sql/schema_40_ref_language_region.sql" \
  "SELECT * FROM ref_language_region" > "$out/ref_language_region.csv"

# run TOOL INPUT DB: one run; appends "seconds peak_kB" to $out/TOOL.times
run() {
  local tool=$1 input=$2 db=$3
  rm -rf "$db" "$db-wal" "$db-shm" "$db.wal"
  case $tool in
    litehouse)
      /usr/bin/time -f '%e %M' -o "$out/time.txt" build/litehouse ingest "$db" "$input" >/dev/null 2>"$out/$tool.log" ;;
    sqlite3)
      sed -e "s#@INPUT@#$input#" -e "s#@US@#$(printf '\037')#" -e "s#@SQLDIR@#sql#" "$peers/sqlite3_pipeline.sql" \
        > "$out/sqlite3_pipeline.sql"
      /usr/bin/time -f '%e %M' -o "$out/time.txt" sqlite3 "$db" < "$out/sqlite3_pipeline.sql" >/dev/null 2>"$out/$tool.log" ;;
    duckdb)
      sed -e "s#@INPUT@#$input#" -e "s#@REFCSV@#$out/ref_language_region.csv#" "$peers/duckdb_pipeline.sql" \
        > "$out/duckdb_pipeline.sql"
      /usr/bin/time -f '%e %M' -o "$out/time.txt" node "$out/duckdb/duckdb_run.mjs" "$out/duckdb_pipeline.sql" \
        "$peers/gold_lines.sql" "$db" "$out/duckdb.lines" >/dev/null 2>"$out/$tool.log" ;;
  esac
  cat "$out/time.txt" >> "$out/$tool.times"
}

# gold_lines TOOL DB: its Gold as sorted lines in $out/TOOL.gold
gold_lines() {
  case $1 in
    duckdb) sort "$out/duckdb.lines" > "$out/$1.gold" ;;
    *) sqlite3 "$2" < "$peers/gold_lines.sql" | sort > "$out/$1.gold" ;;
  esac
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); sqlite3 $(sqlite3 --version | cut -d' ' -f1); duckdb ${duck:-skipped}; $RUNS runs each, medians"
printf '%-9s %-10s %9s %11s %9s %8s %13s %s\n' events tool seconds events/s peak_MB out/in "lh_speedup" "gold / runs"
for n in $SIZES; do
  input="$out/events-$n.jsonl"
  [ -s "$input" ] || build/gen_events "$n" "$input"
  input=$(realpath "$input")
  raw=$(stat -c %s "$input")
  read -r _ limit_s limit_rate limit_mbs < <(build/parse_limit "$input" 3)
  tools="litehouse sqlite3"
  [ -n "$duck" ] && tools="$tools duckdb"
  lh_secs=""
  for tool in $tools; do
    rm -f "$out/$tool.times"
    db="$out/compare-$tool-$n.db"
    for ((r = 0; r < RUNS; r++)); do run "$tool" "$input" "$db"; done
    secs=$(cut -d' ' -f1 "$out/$tool.times" | median)
    peak=$(cut -d' ' -f2 "$out/$tool.times" | sort -n | tail -1)
    case $tool in
      duckdb) size=$(( $(stat -c %s "$db") + $( [ -f "$db.wal" ] && stat -c %s "$db.wal" || echo 0) )) ;;
      *) sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null; size=$(stat -c %s "$db") ;;
    esac
    gold_lines "$tool" "$db"
    if [ "$tool" = litehouse ]; then
      lh_secs=$secs; verdict="reference"; ratio="-"
    else
      ratio=$(printf '%.2fx' "$(echo "$secs / $lh_secs" | bc -l)")
      if cmp -s "$out/litehouse.gold" "$out/$tool.gold"; then
        verdict="same"
      else
        verdict="DIFFERENT ($(diff "$out/litehouse.gold" "$out/$tool.gold" | grep -c '^[<>]') lines)"
        status=1
      fi
    fi
    printf '%-9s %-10s %9.2f %11.0f %9.0f %8.3f %13s %s / %s\n' "$n" "$tool" "$secs" "$(echo "$n / $secs" | bc -l)" \
      "$(echo "$peak / 1024" | bc -l)" "$(echo "$size / $raw" | bc -l)" "$ratio" "$verdict" \
      "$(cut -d' ' -f1 "$out/$tool.times" | tr '\n' ' ' | sed 's/ $//')"
    [ "$tool" = litehouse ] || rm -f "$db" "$db.wal" "$db-wal" "$db-shm"
  done
  printf '%-9s %-10s %9.2f %11.0f %9s %8s %13s litehouse end to end = %.1f%% of it\n' "$n" simdjson "$limit_s" \
    "$limit_rate" - - "$(printf '%.0f MB/s' "$limit_mbs")" "$(echo "100 * $n / $lh_secs / $limit_rate" | bc -l)"
  # The other limit: SQLite storing litehouse's own three layers and nothing else (crash-safe mode).
  # (An assignment, so that a failed floor stops the script with its message.)
  floor_line=$(bench/storage_floor.sh "$out/compare-litehouse-$n.db" "$input" "$RUNS" | grep '^wal ')
  read -r _ _ _ _ _ _ floor_s floor_rate _ floor_out <<<"$floor_line"
  printf '%-9s %-10s %9.2f %11s %9s %8.3f %13s SQLite storing the layers only; litehouse = %.1f x it\n' \
    "$n" floor "$floor_s" "$floor_rate" - "$floor_out" "$(printf '%.2fx' "$(echo "$floor_s / $lh_secs" | bc -l)")" \
    "$(echo "$lh_secs / $floor_s" | bc -l)"
done
exit $status

#!/usr/bin/env bash
# bench/wal_pages.py: the pages a write left in the WAL, by the table or index that owns them.
# A second real recording ingested with the WAL kept dirties Bronze, Silver and their indexes;
# the reference table nobody writes is not among them; the counts add up to the total.
# usage: wal_pages_test.sh EXTENSION_PATH_WITHOUT_SUFFIX PYTHON DATA_DIR
set -euo pipefail
EXT="$1"; PY="$2"; DATA="$3"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
RC="$DATA/recentchange"
sqlite3 "$T/w.db" ".load $EXT" "SELECT lh_ingest('$RC/electricsql-rag/output.json') IS NOT NULL" >/dev/null
sqlite3 "$T/w.db" ".dbconfig no_ckpt_on_close on" ".load $EXT" "PRAGMA wal_autocheckpoint = 0" \
  "SELECT lh_ingest('$RC/yearfunla-wikiMedia_stream_monitor/recentchange_raw.json') IS NOT NULL" >/dev/null
out=$("$PY" "$SRC/bench/wal_pages.py" "$T/w.db")
total=$(head -1 <<<"$out" | awk '{print $1}')
sum=$(tail -n +2 <<<"$out" | awk '{s += $1} END {print s}')
fail=0
expect() { if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; fi; }
expect "counts add up to the distinct pages" "$total" "$sum"
expect "pages dirtied" 1 "$([ "$total" -gt 50 ] && echo 1 || echo 0)"
for owner in bronze_events sqlite_autoindex_bronze_events_1 silver_events_stored silver_by_hour_wiki_page; do
  expect "$owner dirtied" 1 "$(awk -v o="$owner" '$2 == o && $1 > 0' <<<"$out" | wc -l)"
done
expect "ref_language_region untouched" 0 "$(grep -c ' ref_language_region$' <<<"$out" || true)"
[ "$fail" = 0 ] && echo "wal_pages: $total pages, by owner as expected"
exit "$fail"

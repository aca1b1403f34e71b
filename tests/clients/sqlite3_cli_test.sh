#!/usr/bin/env bash
# The loadable extension in the stock sqlite3 CLI: the whole pipeline from plain SQL.
# usage: sqlite3_cli_test.sh EXTENSION_PATH_WITHOUT_SUFFIX DATA_DIR
set -uo pipefail
EXT="$1"; DATA="$2"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
out=$(sqlite3 "$T/x.db" <<SQL 2>&1
.load $EXT
SELECT json_extract(lh_ingest('$DATA/recentchange/yearfunla-wikiMedia_stream_monitor/recentchange_raw.json'), '\$.ingest.inserted');
SELECT sum(total_events) FROM gold_hourly_stats;
SELECT lh_check_gold();
SELECT count(*) FROM read_events('$DATA/recentchange/electricsql-rag/output.json');
SELECT wiki_region('ja.wikipedia.org'), is_ip('10.0.0.1');
SELECT count(comment) > 2000, count(DISTINCT rc_id) > 2000 FROM silver_events;
SQL
)
expected=$'2387\n2386\n0\n118\nasia_pacific|1\n1|1'
if [ "$out" == "$expected" ]; then echo "1 passed, 0 failed"; else printf 'FAIL\nexpected:\n%s\ngot:\n%s\n' "$expected" "$out"; echo "0 passed, 1 failed"; exit 1; fi
# A plain sqlite3 without the extension can still read every layer (WAL, no custom types), and
# check the file; only what Bronze decodes from its payloads (Silver's comment, rc_id, ...; so
# SELECT *) needs the extension, and asking for it is a clear error, not a crash of the shell
# (sql/schema_10_bronze.sql: why `decoded` is Bronze's first column).
n=$(sqlite3 "$T/x.db" "SELECT count(*), count(wiki), count(title) FROM silver_events; SELECT count(*) FROM gold_daily_summary;
                       PRAGMA integrity_check;" | tr '\n' ' ')
[ "$n" == "2386|2386|2386 1 ok " ] || { echo "plain sqlite3 read failed: $n"; exit 1; }
for sql in "SELECT comment FROM silver_events LIMIT 1" "SELECT * FROM silver_events LIMIT 1" "SELECT * FROM bronze_events"; do
  err=$(sqlite3 "$T/x.db" "$sql" 2>&1 >/dev/null); rc=$?
  [ "$rc" == 1 ] && grep -q "unknown function: bronze_fields()" <<<"$err" ||
    { echo "plain sqlite3, $sql: exit $rc, $err"; exit 1; }
done

#!/usr/bin/env bash
# A backfill large enough to be refreshed as one large batch (>= 100,000 rows): its Gold scripts
# run with a smaller page cache (so SQLite's sorters hold less; engine/refresh.cc), after which
# the connection has the cache size it had (the ingest's own 64 MiB), and Gold still equals its
# definition.
# usage: large_batch_test.sh EXTENSION_PATH_WITHOUT_SUFFIX GEN_EVENTS DATA_DIR
set -euo pipefail
EXT="$1"; GEN="$2"; DATA="$3"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
LITEHOUSE_DATA="$DATA" "$GEN" 120000 "$T/events.jsonl" --seed 9 >/dev/null
out=$(sqlite3 "$T/w.db" <<SQL
.load $EXT
PRAGMA cache_size = -100000;
SELECT json_extract(lh_ingest('$T/events.jsonl'), '\$.refresh.silver_rows') IS NOT NULL;
PRAGMA cache_size;
SELECT lh_check_gold();
SELECT count(*) > 119000 FROM silver_events;
SQL
)
expected=$'1\n-65536\n0\n1'
if [ "$out" != "$expected" ]; then
  echo "FAIL: got:"; echo "$out"; echo "expected:"; echo "$expected"; exit 1
fi
echo "ok: 120,000 events in one batch; cache_size restored; Gold = its definition"

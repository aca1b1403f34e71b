#!/usr/bin/env bash
# Other processes query while `litehouse ingest` writes: the stock sqlite3 CLI and Python read
# in a loop and must never get an error nor see a layer half-written (Silver's rows always
# equal its counter, and Gold always sums to Silver).
# usage: concurrent_readers_test.sh LITEHOUSE GEN_EVENTS PYTHON DATA_DIR
set -uo pipefail
LH="$1"; GEN="$2"; PY="$3"; DATA="$4"
T=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
for i in 1 2 3; do LITEHOUSE_DATA="$DATA" "$GEN" 20000 "$T/part$i.jsonl" --seed $i; done
"$LH" ingest "$T/w.db" "$DATA/recentchange/electricsql-rag/output.json" >/dev/null 2>&1   # the schema exists
( for i in 1 2 3; do "$LH" ingest "$T/w.db" "$T/part$i.jsonl" >/dev/null 2>&1 || echo "ingest $i failed" >> "$T/errors"; done
  touch "$T/done" ) &
CHECK="BEGIN; SELECT (SELECT count(*) FROM silver_events) = (SELECT row_count FROM lh_layer_state WHERE layer = 'silver'),
       (SELECT coalesce(sum(total_events), 0) FROM gold_hourly_stats) = (SELECT count(*) FROM silver_events); COMMIT;"
"$PY" - "$T/w.db" "$T/done" > "$T/python.out" 2>&1 <<'PYEOF' &
import os, sqlite3, sys
db, done = sys.argv[1], sys.argv[2]
reads = bad = 0
while not os.path.exists(done):
    c = sqlite3.connect(db, timeout=30, isolation_level=None)
    c.execute("BEGIN")
    a, b = c.execute("SELECT (SELECT count(*) FROM silver_events) = (SELECT row_count FROM lh_layer_state WHERE layer='silver'),"
                     " (SELECT coalesce(sum(total_events), 0) FROM gold_hourly_stats) = (SELECT count(*) FROM silver_events)").fetchone()
    c.execute("COMMIT")
    c.close()
    reads += 1
    bad += (a, b) != (1, 1)
print(reads, bad)
PYEOF
reads=0; bad=0
while [ ! -e "$T/done" ]; do
  out=$(sqlite3 -cmd ".timeout 30000" "$T/w.db" "$CHECK" 2>&1)
  reads=$((reads+1))
  [ "$out" == "1|1" ] || { bad=$((bad+1)); echo "sqlite3 saw: $out"; }
done
wait
read -r py_reads py_bad < "$T/python.out" || { cat "$T/python.out"; py_bad=1; }
final=$(sqlite3 "$T/w.db" "SELECT count(*) FROM bronze_events")
echo "sqlite3: $reads reads, $bad bad; python: $py_reads reads, $py_bad bad; bronze rows $final"
if [ "$bad" = 0 ] && [ "${py_bad:-1}" = 0 ] && [ "$reads" -gt 1 ] && [ "${py_reads:-0}" -gt 1 ] && [ ! -e "$T/errors" ] \
   && [ "$final" = 60118 ]; then
  echo "1 passed, 0 failed"
else
  echo "0 passed, 1 failed"; exit 1
fi

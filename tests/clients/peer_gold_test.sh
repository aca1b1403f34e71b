#!/usr/bin/env bash
# Gold against an independent implementation of the contract: the stock sqlite3 CLI runs
# bench/peers/sqlite3_pipeline.sql (plain SQL and JSON1, written from ../shared/spec/medallion.md,
# no litehouse code) over the real NDJSON recordings, and every Gold row it computes must equal
# litehouse's (bench/peers/gold_lines.sql prints both). The comparison bench relies on the same
# check at scale; here it runs on the real data's quirks: 84 redeliveries under the same meta.id,
# the 2018 schema, a type "142" event, non-ASCII titles, IP editors.
# usage: peer_gold_test.sh LITEHOUSE_BINARY DATA_DIR SOURCE_DIR
set -uo pipefail
LH="$1"; DATA="$2"; SRC="$3"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
passed=0; failed=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then passed=$((passed+1)); else failed=$((failed+1)); printf 'FAIL %s\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3"; fi
}
RC="$DATA/recentchange"
# The NDJSON recordings, one file (a newline after each: the first has no final one).
for f in "$RC"/yearfunla-wikiMedia_stream_monitor/recentchange_raw.json \
         "$RC"/sat99496-wikistream-lakehouse/recentchanges_sample.jsonl "$RC"/wikidata-editgroups/*.json; do
  cat "$f"; echo
done > "$T/real.jsonl"

"$LH" ingest "$T/lh.db" "$T/real.jsonl" > "$T/ingest.log" 2>&1
check "litehouse ingest exit code" 0 "$?"
sed -e "s#@INPUT@#$T/real.jsonl#" -e "s#@US@#$(printf '\037')#" -e "s#@SQLDIR@#$SRC/sql#" \
  "$SRC/bench/peers/sqlite3_pipeline.sql" > "$T/peer.sql"
sqlite3 "$T/peer.db" < "$T/peer.sql" > "$T/peer.log" 2>&1
check "peer pipeline exit code" 0 "$?"
check "peer pipeline prints no error" 0 "$(grep -ci error "$T/peer.log")"

sqlite3 "$T/lh.db" < "$SRC/bench/peers/gold_lines.sql" | sort > "$T/lh.gold"
sqlite3 "$T/peer.db" < "$SRC/bench/peers/gold_lines.sql" | sort > "$T/peer.gold"
check "both keep 8250 distinct events" "8250 8250" \
  "$(sqlite3 "$T/lh.db" 'SELECT count(*) FROM bronze_events') $(sqlite3 "$T/peer.db" 'SELECT count(*) FROM bronze_events')"
check "Gold has rows of all five tables" "daily hourly kpi risk trending" \
  "$(cut -d'|' -f1 "$T/lh.gold" | sort -u | tr '\n' ' ' | sed 's/ $//')"
check "Gold lines" "736" "$(wc -l < "$T/lh.gold")"
check "Gold rows differing from the peer's" 0 "$(diff "$T/lh.gold" "$T/peer.gold" | grep -c '^[<>]')"
diff "$T/lh.gold" "$T/peer.gold" | head -10

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

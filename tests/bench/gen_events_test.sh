#!/usr/bin/env bash
# The benchmarks' generator: the same seed gives the same bytes; every event reads back; pages
# repeat about as much as in the real stream (not ~1,600 pages for any number of events); a
# fresh page's title, title_url and meta.uri name the same page.
# usage: gen_events_test.sh LITEHOUSE GEN_EVENTS DATA_DIR
set -euo pipefail
LH="$1"; GEN="$2"; DATA="$3"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
LITEHOUSE_DATA="$DATA" "$GEN" 30000 "$T/a.jsonl" --seed 5 >/dev/null
LITEHOUSE_DATA="$DATA" "$GEN" 30000 "$T/b.jsonl" --seed 5 >/dev/null
LITEHOUSE_DATA="$DATA" "$GEN" 30000 "$T/c.jsonl" --seed 5 --fresh-pages 0 >/dev/null
cmp -s "$T/a.jsonl" "$T/b.jsonl" || fail "the same seed gave different bytes"
stats() {
  "$LH" :memory: "SELECT count(*), count(DISTINCT domain || '|' || json_extract(json, '\$.title')),
                         sum(json_extract(json, '\$.title') LIKE '% ' || substr(json_extract(json, '\$.meta.uri'),
                               length(rtrim(json_extract(json, '\$.meta.uri'), '0123456789')) + 1)
                             AND json_extract(json, '\$.title_url') = json_extract(json, '\$.meta.uri'))
                  FROM read_events('$1')"
}
IFS='|' read -r events pages consistent <<<"$(stats "$T/a.jsonl")"
[ "$events" = 30000 ] || fail "$events events read back of 30000"
# 30,000 events are 5 minutes at 100/s: most pages are new (the 2-minute recording: 56%).
[ "$pages" -gt 15000 ] && [ "$pages" -lt 29000 ] || fail "$pages distinct pages in 30000 events"
[ "$consistent" -gt 20000 ] || fail "only $consistent events with title, title_url and meta.uri of one page"
IFS='|' read -r events pages _ <<<"$(stats "$T/c.jsonl")"
[ "$pages" -lt 2000 ] || fail "--fresh-pages 0 gave $pages pages (the templates' own are ~1,600)"
echo "ok: 30000 events, deterministic, page mix as configured"

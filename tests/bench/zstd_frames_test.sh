#!/usr/bin/env bash
# bench/zstd_frames: Bronze's payloads in zstd frames of k events. Every frame it times decompresses
# to its events (it checks and exits 1 otherwise); each level prints its five frame sizes; one
# event a frame at Bronze's level costs what Bronze stores for the same events, within 10%
# (the same training and level; Bronze trains on its own sample of the first batch); and an input
# too short to train on, or a missing one, is refused with its reason.
# usage: zstd_frames_test.sh LITEHOUSE GEN_EVENTS ZSTD_FRAMES DATA_DIR
set -euo pipefail
LH="$1"; GEN="$2"; FRAMES="$3"; DATA="$4"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
expect() { if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; fi; }
LITEHOUSE_DATA="$DATA" "$GEN" 12000 "$T/e.jsonl" --seed 3 >/dev/null
out=$("$FRAMES" "$T/e.jsonl")
rows=$(grep -E '^ +[0-9]+ +[0-9]+ ' <<<"$out")
expect "lines: two levels by five frame sizes" 10 "$(wc -l <<<"$rows")"
expect "frame sizes" "1 8 16 32 64 1 8 16 32 64" "$(awk '{print $2}' <<<"$rows" | xargs)"
one=$(awk '$1 == 3 && $2 == 1 {print $3}' <<<"$rows")
"$LH" ingest "$T/b.db" "$T/e.jsonl" >/dev/null 2>&1
bronze=$("$LH" "$T/b.db" "SELECT avg(length(payload)) FROM bronze_events WHERE bronze_id > 4000")
expect "one event a frame ($one B) within 10% of Bronze's payloads ($bronze B)" 1 \
  "$(awk -v a="$one" -v b="$bronze" 'BEGIN {d = a - b; if (d < 0) d = -d; print (d < 0.1 * b) ? 1 : 0}')"
head -3000 "$T/e.jsonl" >"$T/short.jsonl"
rc=0; err=$("$FRAMES" "$T/short.jsonl" 2>&1) || rc=$?
expect "short input: exit" 2 "$rc"
expect "short input: reason" 1 "$(grep -c '3000 events in .*at least 5000 needed (4000 to train on)' <<<"$err")"
rc=0; err=$("$FRAMES" "$T/none.jsonl" 2>&1) || rc=$?
expect "missing input: exit" 2 "$rc"
expect "missing input: reason" 1 "$(grep -c 'cannot open' <<<"$err")"
[ "$fail" = 0 ] && echo "zstd_frames: ten frame sizes measured, one a frame as Bronze stores it"
exit "$fail"

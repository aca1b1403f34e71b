#!/usr/bin/env bash
# bench/growth_bench.sh on tiny sizes. With the real program: a line per history, three positive
# runs each, histories that hold their events. Then, the histories reused (not ingested again),
# with a stand-in program whose refreshes take known times: the runs alternate between the sizes,
# and the medians and their ratio are those of these times.
# usage: growth_bench_test.sh LITEHOUSE GEN_EVENTS DATA_DIR
set -euo pipefail
LH="$1"; GEN="$2"; DATA="$3"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
run() { LITEHOUSE="$1" GEN_EVENTS="$GEN" LITEHOUSE_DATA="$DATA" DIR="$T/g" "$SRC/bench/growth_bench.sh" "2000 6000" 3 300; }
fail=0
expect() { if [ "$2" != "$3" ]; then echo "FAIL $1: expected $2, got $3"; fail=1; fi; }

out=$(run "$LH")
echo "$out"
for n in 2000 6000; do
  expect "three positive runs after $n" 3 "$(awk -v n="$n" '$1 == n {print $4; print $5; print $6}' <<<"$out" | awk '$1 > 0' | wc -l)"
done
expect "a history holds its events" 6000 "$("$LH" "$T/g/hist-6000.db" "SELECT count(*) FROM bronze_events")"
expect "a batch holds its events" 300 "$(wc -l <"$T/g/batch-6000.jsonl")"

# Refreshes of the scratch copy take, in order, 0.30 0.50 0.10 0.90 0.20 0.70 s: 2000's runs are
# 0.30 0.10 0.20 (median 0.20) and 6000's 0.50 0.90 0.70 (median 0.70) if the sizes alternate.
cat >"$T/lh" <<STANDIN
#!/usr/bin/env bash
if [ "\$1" = ingest ] && [ "\$(basename "\$2")" = scratch.db ]; then
  times=(0.30 0.50 0.10 0.90 0.20 0.70)
  n=\$(cat "$T/count" 2>/dev/null || echo 0)
  echo \$((n + 1)) >"$T/count"
  echo "refresh: 300 Bronze rows → 300 Silver rows, 0 rejected, 1 Gold hours in \${times[\$n]} s" >&2
  exit 0
fi
exec "$LH" "\$@"
STANDIN
chmod +x "$T/lh"
before=$(stat -c %Y "$T/g/hist-2000.db")
sleep 1  # (a history made again would have a later time)
out=$(run "$T/lh")
echo "$out"
expect "the histories reused" "$before" "$(stat -c %Y "$T/g/hist-2000.db")"
expect "2000's runs and median" "0.20 0.30 0.10 0.20" "$(awk '$1 == 2000 {print $3, $4, $5, $6}' <<<"$out")"
expect "6000's runs and median" "0.70 0.50 0.90 0.70" "$(awk '$1 == 6000 {print $3, $4, $5, $6}' <<<"$out")"
expect "the ratio" "ratio (last history / first): 3.50 x" "$(tail -1 <<<"$out")"
[ "$fail" = 0 ] && echo "growth_bench: as expected"
exit "$fail"

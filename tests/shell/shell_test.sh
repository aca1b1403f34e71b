#!/usr/bin/env bash
# The litehouse program as a person uses it: subcommands, one-shot SQL, SQL on standard input,
# output modes, dot commands, and one clear line with a non-zero exit for every mistake.
# usage: shell_test.sh LITEHOUSE_BINARY DATA_DIR
set -uo pipefail
LH="$1"; DATA="$2"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
passed=0; failed=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then passed=$((passed+1)); else failed=$((failed+1)); printf 'FAIL %s\n  expected: %s\n  got:      %s\n' "$1" "$2" "$3"; fi
}
RAW="$DATA/recentchange/yearfunla-wikiMedia_stream_monitor/recentchange_raw.json"

out=$("$LH" ingest "$T/w.db" "$RAW" "$DATA/recentchange/electricsql-rag/output.json" 2>&1); rc=$?
check "ingest exit code" 0 "$rc"
check "ingest reports new rows" 1 "$(grep -c '2387 events, 2387 new, 0 duplicates, 0 rejected' <<<"$out")"
check "ingest refreshes" 1 "$(grep -c 'refresh: 2505 Bronze rows → 2504 Silver rows, 1 rejected' <<<"$out")"
check "plain progress lines off a terminal" 1 "$(grep -c 'output.json: 100%' <<<"$out")"

check "one-shot SQL" "2504" "$("$LH" "$T/w.db" "SELECT count(*) FROM silver_events")"
check "csv with header" "$(printf 'domain,n\ncommons.wikimedia.org,1039')" \
  "$("$LH" --csv "$T/w.db" "SELECT domain, sum(total_events) AS n FROM gold_hourly_stats GROUP BY 1 ORDER BY 2 DESC LIMIT 1")"
check "json" '[{"a":1,"b":"x\"y","c":null}]' "$("$LH" --json "$T/w.db" "SELECT 1 AS a, 'x\"y' AS b, NULL AS c")"
check "SQL on stdin, several statements and a dot command" "$(printf '2\nx|1')" \
  "$(printf 'SELECT 1+1;\nSELECT\n  '"'"'x'"'"', 1;\n.quit\nSELECT 3;\n' | "$LH" "$T/w.db")"
check "box mode" 1 "$(printf '.mode box\nSELECT 42 AS answer;\n' | "$LH" "$T/w.db" | grep -c '│     42 │')"
check ".tables lists the layers" 1 "$(echo .tables | "$LH" "$T/w.db" | grep -c 'gold_hourly_stats')"
check ".schema shows a model" 1 "$(echo '.schema gold_kpi_5min' | "$LH" "$T/w.db" | grep -c 'CREATE TABLE gold_kpi_5min')"
check ".status shows three layers" 3 "$(echo .status | "$LH" "$T/w.db" | grep -cE 'bronze|silver|gold')"
printf 'SELECT 7;\n' > "$T/q.sql"
check ".read" 7 "$(echo ".read $T/q.sql" | "$LH" "$T/w.db")"
# The program turns SQLite's heap counting off (a global mutex on every allocation) unless
# LITEHOUSE_TRACE asks for the heap peaks; a library or extension user keeps SQLite's default.
check "heap counting off in the program" 1 \
  "$("$LH" "$T/w.db" "SELECT litehouse_debug()" | grep -c '^sqlite heap not counted')"
check "heap counted under LITEHOUSE_TRACE" 1 \
  "$(LITEHOUSE_TRACE=1 "$LH" "$T/w.db" "SELECT litehouse_debug()" | grep -cE '^sqlite heap [0-9.]+ MiB in use')"
check ".help" 1 "$(echo .help | "$LH" "$T/w.db" | grep -c '^.ingest FILE')"
check ".timer" 1 "$(printf '.timer on\nSELECT 1;\n' | "$LH" "$T/w.db" | grep -c 'Run Time: real')"
check ".ingest in the shell is exactly once" 1 \
  "$(echo ".ingest $RAW" | "$LH" "$T/w.db" 2>&1 | grep -c 'already ingested')"
check "refresh subcommand with nothing new" "refresh: 0 Bronze rows → 0 Silver rows, 0 rejected, 0 Gold hours" \
  "$("$LH" refresh "$T/w.db" 2>&1 | sed 's/ in [0-9.]* s$//')"
check "refresh subcommand exit" 0 "$("$LH" refresh "$T/w.db" >/dev/null 2>&1; echo $?)"

# The README's ten analyst queries are docs/tour.sql, and they all run.
SRC=$(cd "$(dirname "$0")/../.." && pwd)
check "README's queries are docs/tour.sql" "" \
  "$(diff <(awk '/^-- 1\. /{on=1} on && /^```$/{exit} on' "$SRC/README.md") "$SRC/docs/tour.sql")"
tour_out=$("$LH" "$T/w.db" < "$SRC/docs/tour.sql" 2>"$T/tour.err"); rc=$?
check "the tour runs" "0 0" "$rc $(wc -c < "$T/tour.err")"
check "the tour's rows (5 + 5 + 5 + 7 + 2 + 2 + 5 + 5 + 5 + 2)" 43 "$(wc -l <<<"$tour_out")"
# Query 7 (one wiki's latest hour) reads Silver's index alone: its bytecode opens the table but
# never reads a column from it (SQLite defers the row seek until a column needs it). Without
# namespace and is_anonymous in silver_by_hour_wiki_page it read one table page per row.
q7=$(awk '/^-- 7\. /{on=1; next} /^-- 8\. /{on=0} on' "$SRC/docs/tour.sql")
silver_root=$("$LH" "$T/w.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'silver_events'")
"$LH" --csv "$T/w.db" "EXPLAIN $q7" > "$T/q7.plan"
table_cursor=$(awk -F, -v root="$silver_root" '$2 == "OpenRead" && $4 == root {print $3}' "$T/q7.plan")
check "query 7 seeks silver_by_hour_wiki_page" 1 \
  "$("$LH" "$T/w.db" "EXPLAIN QUERY PLAN $q7" | grep -c 'USING INDEX silver_by_hour_wiki_page')"
check "query 7 reads no column of the Silver table" "1 0" \
  "$(wc -l <<<"$table_cursor") $(awk -F, -v c="$table_cursor" '$2 == "Column" && $3 == c' "$T/q7.plan" | wc -l)"

# Mistakes: one line on stderr, non-zero exit, never a crash.
err=$("$LH" "$T/w.db" "SELEC 1" 2>&1 >/dev/null); rc=$?
check "bad SQL exit" 1 "$rc"; check "bad SQL message" 'litehouse: error: near "SELEC": syntax error' "$err"
err=$("$LH" ingest "$T/w.db" /nonexistent.json 2>&1 | head -1); check "missing file message" \
  "litehouse: /nonexistent.json: cannot open '/nonexistent.json': No such file or directory" "$err"
"$LH" ingest "$T/w.db" /nonexistent.json >/dev/null 2>&1; check "missing file exit" 1 $?
err=$("$LH" ingest "$T/w.db" "$T" 2>&1 | head -1); check "a directory as input" \
  "litehouse: $T: cannot read '$T': it is a directory" "$err"
head -c 5000 /dev/urandom > "$T/junk.db"
err=$("$LH" "$T/junk.db" "SELECT 1" 2>&1); rc=$?
check "not a database exit" 1 "$rc"; check "not a database message" 1 "$(grep -c 'is not a database' <<<"$err")"
check "unknown dot command" 1 "$(echo .bogus | "$LH" "$T/w.db" 2>&1 | grep -c "unknown command '.bogus'")"
check "unknown option" 1 "$("$LH" --bogus 2>&1 | grep -c "unknown option '--bogus'")"
"$LH" ingest >/dev/null 2>&1; check "usage exit" 2 $?
echo ".read $T/self.sql" > "$T/self.sql"
err=$(echo ".read $T/self.sql" | "$LH" "$T/w.db" 2>&1); rc=$?
check "a file that reads itself: no crash" 1 "$rc"
check "a file that reads itself: why" 1 "$(grep -c 'files read within each other 25 deep' <<<"$err")"
# A cut .gz: the events before the cut are kept and refreshed; the error names the file once.
gzip -c "$RAW" | head -c 300000 > "$T/cut.json.gz"
err=$("$LH" ingest "$T/cut.db" "$T/cut.json.gz" 2>&1); rc=$?
check "cut gzip exit" 1 "$rc"
check "cut gzip message" 1 "$(grep -c "^litehouse: $T/cut.json.gz: gzip: truncated file" <<<"$err")"
kept=$("$LH" "$T/cut.db" "SELECT count(*) FROM bronze_events")
check "cut gzip: what was kept is said" 1 "$(grep -c "^$T/cut.json.gz: $kept events, $kept new, .*kept: the ones before the error" <<<"$err")"
check "cut gzip: some kept" 1 "$([ "$kept" -gt 0 ] && echo 1 || echo 0)"
check "cut gzip: kept and refreshed" "$kept" \
  "$("$LH" "$T/cut.db" "SELECT count(*) + (SELECT count(*) FROM silver_rejects) FROM silver_events")"

# Interactive: a real terminal through tmux, if tmux is there.
if command -v tmux >/dev/null; then
  tmux kill-session -t lhtest 2>/dev/null
  tmux new-session -d -s lhtest -x 120 -y 30 "HOME=$T $LH $T/w.db"
  sleep 1
  # tmux takes a trailing ';' as its own command separator, even with -l: escape it
  tmux send-keys -t lhtest -l 'SELECT count(*) AS n FROM bronze_events\;'
  tmux send-keys -t lhtest Enter
  sleep 1
  screen=$(tmux capture-pane -t lhtest -p)
  tmux send-keys -t lhtest -l '.quit'
  tmux send-keys -t lhtest Enter
  sleep 0.5
  tmux kill-session -t lhtest 2>/dev/null
  check "interactive prompt" 1 "$(grep -c 'litehouse> SELECT count' <<<"$screen")"
  check "interactive box result" 1 "$(grep -c '│ 2505 │' <<<"$screen")"
  check "history saved (libedit writes spaces as \\040)" 1 "$(grep -c 'bronze_events' "$T/.litehouse_history")"
fi
# Subcommand options: one message naming the mistake, exit 2.
out=$("$LH" run "$T/opts.db" --bogus 1 2>&1); code=$?
check "run: unknown option" "2 1" "$code $(grep -c "unknown option '--bogus'" <<<"$out")"
out=$("$LH" run "$T/opts.db" --duration soon 2>&1); code=$?
check "run: bad number" "2 1" "$code $(grep -c "duration needs a non-negative number, not 'soon'" <<<"$out")"
out=$("$LH" replay-server x.json --stall-every 2>&1); code=$?
check "replay-server: missing value" "2 1" "$code $(grep -c -- "--stall-every needs a value" <<<"$out")"
out=$("$LH" replay-server x.json --bogus x 2>&1); code=$?
check "replay-server: unknown option" "2 1" "$code $(grep -c "unknown option '--bogus'" <<<"$out")"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

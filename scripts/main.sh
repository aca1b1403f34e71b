#!/usr/bin/env bash
# The main job: install dependencies, build, then follow Wikipedia's live edit stream into wiki.db
# (Bronze exactly once, Silver and Gold refreshed behind every commit) until Ctrl-C.
#
# Offline (the stream cannot be reached, or LITEHOUSE_OFFLINE=1), the fallback: ingest the real
# recordings, then replay them through a local EventStreams (litehouse replay-server, events
# retimed to now) and follow that for LITEHOUSE_DEMO_SECONDS (default 30) seconds, exactly as the
# live run would. Either way a short Gold summary is printed at the end.
# Set LITEHOUSE_CONTACT (an e-mail or URL): Wikimedia refuses clients that name no contact.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
LH=build/litehouse
URL="${LITEHOUSE_URL:-https://stream.wikimedia.org/v2/stream/recentchange}"
CONTACT="${LITEHOUSE_CONTACT:-}"

online() {
  [ "${LITEHOUSE_OFFLINE:-0}" != 1 ] || return 1
  local code
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' -A "litehouse-probe (${CONTACT:-no contact})" "$URL" || true)
  [ "$code" = 200 ]
}

summary() {
  $LH wiki.db --box "SELECT layer, rows, newest_event_time, last_refresh_at, lag_seconds FROM lh_status"
  $LH wiki.db --box "
    SELECT event_date, total_events, total_edits, unique_users, active_wikis, bot_percentage, top_domain
    FROM gold_daily_summary ORDER BY event_date DESC LIMIT 10"
}

if online; then
  echo "Following $URL into wiki.db; Ctrl-C stops (after committing the batch)."
  $LH run wiki.db --url "$URL" ${CONTACT:+--contact "$CONTACT"} || true
  summary
  exit 0
fi

echo "The live stream cannot be reached: ingesting the recordings, then replaying them live."
DATA="${LITEHOUSE_DATA:-$(cd .. && pwd)/shared/data}"
$LH ingest wiki.db "$DATA"/recentchange/*/*.json "$DATA"/recentchange/*/*.jsonl
PORT_FILE=$(mktemp)
$LH replay-server "$DATA"/recentchange/*/*.json "$DATA"/recentchange/*/*.jsonl --port 0 --port-file "$PORT_FILE" \
  --retime --loop --rate 50 --canary-every 500 --quiet >/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$PORT_FILE"' EXIT
for _ in $(seq 100); do [ -s "$PORT_FILE" ] && break; sleep 0.05; done
$LH run wiki.db --url "http://127.0.0.1:$(cat "$PORT_FILE")/v2/stream/recentchange" \
  --contact "${CONTACT:-offline-demo}" --duration "${LITEHOUSE_DEMO_SECONDS:-30}"
summary

#!/usr/bin/env bash
# The main job: install dependencies, build, ingest the real recordings into wiki.db, and print
# a short Gold summary. Run from anywhere; wiki.db is written to the repository's top.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
DATA="${LITEHOUSE_DATA:-$(cd .. && pwd)/shared/data}"
build/litehouse ingest wiki.db "$DATA"/recentchange/*/*.json "$DATA"/recentchange/*/*.jsonl
build/litehouse wiki.db --box "SELECT layer, rows, newest_event_time, last_refresh_at FROM lh_status"
build/litehouse wiki.db --box "
  SELECT event_date, total_events, total_edits, unique_users, active_wikis, bot_percentage, top_domain
  FROM gold_daily_summary ORDER BY event_date"

-- Gold: what analysts and dashboards read. (../shared/spec/medallion.md, "Gold")
-- Maintained by sql/refresh_3*.sql, which add each refresh's new Silver rows to them (deltas);
-- defined by sql/recompute_*.sql, the same tables computed from the whole of Silver, which
-- lh_check_gold() compares them with.
CREATE TABLE IF NOT EXISTS gold_hourly_stats (
  event_date TEXT NOT NULL, event_hour INTEGER NOT NULL, domain TEXT NOT NULL,
  total_events INTEGER, edits INTEGER, new_pages INTEGER, log_events INTEGER, categorize_events INTEGER,
  unique_users INTEGER, unique_pages INTEGER, bot_events INTEGER, bot_percentage REAL, anonymous_events INTEGER,
  bytes_added INTEGER, bytes_removed INTEGER, net_bytes INTEGER, large_additions INTEGER, large_deletions INTEGER,
  PRIMARY KEY (event_date, event_hour, domain)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS gold_kpi_5min (
  window_start TEXT PRIMARY KEY, window_end TEXT NOT NULL,
  total_edits INTEGER, unique_editors INTEGER, active_pages INTEGER, bot_edits INTEGER, human_edits INTEGER,
  net_bytes_added INTEGER, avg_bytes_per_edit REAL, large_edits_count INTEGER, revert_like_edits INTEGER,
  volatility_score INTEGER, bot_edit_percentage REAL, edits_per_minute REAL, knowledge_trend TEXT
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS gold_user_risk (
  event_date TEXT NOT NULL, user_name TEXT NOT NULL,
  events INTEGER, edits INTEGER, max_edits_per_hour INTEGER, large_deletions INTEGER, anonymous_share REAL,
  distinct_domains INTEGER, risk_score INTEGER, risk_level TEXT, rules_fired TEXT, is_bot INTEGER,
  PRIMARY KEY (event_date, user_name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS gold_user_risk_by_level ON gold_user_risk (risk_level, event_date);

CREATE TABLE IF NOT EXISTS gold_daily_summary (
  event_date TEXT PRIMARY KEY,
  total_events INTEGER, total_edits INTEGER, unique_users INTEGER, unique_pages INTEGER, active_wikis INTEGER,
  bot_percentage REAL, anonymous_percentage REAL, net_bytes INTEGER, large_deletions INTEGER,
  high_risk_users INTEGER, medium_risk_users INTEGER, top_domain TEXT,
  dq_checks_passed INTEGER, dq_checks_failed INTEGER
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS gold_trending_pages (
  event_date TEXT NOT NULL, event_hour INTEGER NOT NULL, rank INTEGER NOT NULL,
  domain TEXT NOT NULL, title TEXT NOT NULL, edits INTEGER, unique_editors INTEGER, net_bytes INTEGER,
  PRIMARY KEY (event_date, event_hour, rank)
) WITHOUT ROWID;

-- Gold's running state: what the delta refresh needs besides Gold's own columns to add new rows
-- without reading the history again. Internal: rebuilt with Gold, checked with it.
-- The next two tables are keyed by time before user: a batch's rows fall in a few recent hours,
-- so its inserts land in the pages of those hours, whatever the size of the day. Keyed by user
-- first (Gold model 6), each touched user dirtied its own page: after 5M events of history a
-- 10K batch dirtied 3,975 + 1,694 pages of them (bench/README.md, "Where the growth is").
-- The (day, 5-minute window, user) in which the user edited: answers "was this user already an
-- editor in this window" (gold_kpi_5min's unique editors).
CREATE TABLE IF NOT EXISTS lh_gold_window_editors (
  event_date TEXT NOT NULL, window5 INTEGER NOT NULL, user_name TEXT NOT NULL,
  PRIMARY KEY (event_date, window5, user_name)
) WITHOUT ROWID;
-- Gold model 3 kept per-window counts for user risk; model 6 keyed its state by user first.
DROP TABLE IF EXISTS lh_gold_user_windows;
DROP TABLE IF EXISTS lh_gold_editor_windows;
DROP TABLE IF EXISTS lh_gold_user_hours;
-- Per (day, hour, user, wiki): answers "was this user already seen in this hour" (unique users)
-- with one seek and "on this wiki today" with 24 (one per hour), and gives an hour's edits across
-- wikis (gold_user_risk's max_edits_per_hour). "Seen today" is one seek in lh_gold_user_days.
CREATE TABLE IF NOT EXISTS lh_gold_hour_users (
  event_date TEXT NOT NULL, event_hour INTEGER NOT NULL, user_name TEXT NOT NULL, domain TEXT NOT NULL,
  events INTEGER NOT NULL, edits INTEGER NOT NULL, large_deletions INTEGER NOT NULL,
  anonymous_events INTEGER NOT NULL, is_bot INTEGER NOT NULL,
  PRIMARY KEY (event_date, event_hour, user_name, domain)
) WITHOUT ROWID;
-- Per (day, user): gold_user_risk's inputs, so rescoring a touched user reads one row however
-- many hours and wikis its day holds (with only lh_gold_hour_users, a Zipf-popular user's evening
-- rescoring read hundreds). Counts add; distinct_domains grows by the wikis new to the user's day;
-- max_edits_per_hour by the touched hours' new totals (hour totals only grow).
CREATE TABLE IF NOT EXISTS lh_gold_user_days (
  event_date TEXT NOT NULL, user_name TEXT NOT NULL,
  events INTEGER NOT NULL, edits INTEGER NOT NULL, large_deletions INTEGER NOT NULL,
  anonymous_events INTEGER NOT NULL, distinct_domains INTEGER NOT NULL, max_edits_per_hour INTEGER NOT NULL,
  is_bot INTEGER NOT NULL,
  PRIMARY KEY (event_date, user_name)
) WITHOUT ROWID;
-- Per 5-minute window: edits with a known size change (gold_kpi_5min's average divides by it).
CREATE TABLE IF NOT EXISTS lh_gold_windows (
  window_start TEXT PRIMARY KEY, known_deltas INTEGER NOT NULL
) WITHOUT ROWID;
-- Per day: the counts behind gold_daily_summary's percentages.
CREATE TABLE IF NOT EXISTS lh_gold_days (
  event_date TEXT PRIMARY KEY, bot_events INTEGER NOT NULL, anonymous_events INTEGER NOT NULL
) WITHOUT ROWID;

-- Live streams (litehouse run): liveness, and per-minute ingestion counters.

-- One row per stream source (lh_sources.kind = 'stream'): what proves it is alive. Canary events
-- (meta.domain = 'canary', at least hourly) arrive even when no wiki is edited.
CREATE TABLE IF NOT EXISTS lh_stream_state (
  source_id      INTEGER PRIMARY KEY,       -- lh_sources.source_id
  last_event_at  TEXT,                      -- when the newest event arrived (wall clock)
  last_canary_at TEXT,                      -- event_time of the newest canary event
  connected      INTEGER NOT NULL DEFAULT 0,
  reconnects     INTEGER NOT NULL DEFAULT 0,  -- since the source was first followed
  last_error     TEXT,                      -- the newest connection problem, as logged
  updated_at     TEXT
);

-- Per wall-clock minute and stream: what the live loop did. Freshness is edit → Gold: the time
-- the refresh that put an event into Gold committed, minus the event's event_time.
CREATE TABLE IF NOT EXISTS ingest_stats (
  minute           TEXT NOT NULL,           -- 'YYYY-MM-DD HH:MM' UTC
  source_id        INTEGER NOT NULL,
  events           INTEGER NOT NULL,        -- SSE events received
  bytes            INTEGER NOT NULL,        -- bytes received from the network
  inserted         INTEGER NOT NULL,        -- new Bronze rows
  duplicates       INTEGER NOT NULL,
  rejects          INTEGER NOT NULL,
  filtered         INTEGER NOT NULL,        -- left out by --wiki/--domain/--type
  canaries         INTEGER NOT NULL,
  reconnects       INTEGER NOT NULL,
  batches          INTEGER NOT NULL,
  commit_ms_avg    REAL, commit_ms_max REAL,
  refreshes        INTEGER NOT NULL,
  refresh_ms_avg   REAL, refresh_ms_max REAL,
  freshness_p50_ms REAL, freshness_p95_ms REAL, freshness_p99_ms REAL, freshness_max_ms REAL,
  PRIMARY KEY (minute, source_id)
) WITHOUT ROWID;

-- Per stream: where it stands and how long since it last showed life.
DROP VIEW IF EXISTS lh_live_status;
CREATE VIEW lh_live_status AS
  SELECT s.name AS url, s.position AS events_committed, s.scanner_state AS last_event_id,
         t.connected, t.reconnects, t.last_event_at,
         round((julianday('now') - julianday(t.last_event_at)) * 86400.0, 3) AS seconds_since_event,
         t.last_canary_at,
         round((julianday('now') - julianday(t.last_canary_at)) * 86400.0, 3) AS seconds_since_canary,
         t.last_error, t.updated_at
  FROM lh_sources AS s JOIN lh_stream_state AS t USING (source_id)
  WHERE s.kind = 'stream';

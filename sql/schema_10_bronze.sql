-- Bronze: every delivery, exactly once. (../shared/spec/medallion.md, "Bronze")
--
-- Rows are written by the ingester (C++), which parses each event once with simdjson. The
-- original bytes are kept exactly, zstd-compressed with a dictionary trained on the stream
-- (lh_dictionaries); lh_raw(payload) returns them as text, and bronze_events_raw shows them.

-- Where rows come from: files (with the committed byte offset, so ingesting a file again adds
-- nothing and an interrupted ingest resumes) and, later, live streams (with the SSE id).
CREATE TABLE IF NOT EXISTS lh_sources (
  source_id     INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,      -- absolute file path, or a stream URL
  kind          TEXT NOT NULL,             -- 'file' or 'stream'
  fingerprint   TEXT,                      -- hash of the file's first 64 KiB on disk
  file_size     INTEGER,
  position      INTEGER NOT NULL DEFAULT 0,  -- file: decompressed byte offset committed so far;
                                           -- stream: SSE events committed so far
  scanner_state TEXT,                      -- what the reader needs to resume at position;
                                           -- stream: the SSE id of the last committed event
  complete      INTEGER NOT NULL DEFAULT 0,  -- 1 once the whole file was read
  updated_at    TEXT
);

-- zstd dictionaries; a Bronze payload's zstd frame names the dictionary it needs.
CREATE TABLE IF NOT EXISTS lh_dictionaries (
  dict_id    INTEGER PRIMARY KEY,
  trained_at TEXT NOT NULL,
  samples    INTEGER NOT NULL,
  dict       BLOB NOT NULL
);

-- Times are stored as integers (milliseconds since 1970, UTC) and spelled as the contract's text by
-- generated columns, and the two topics of Wikimedia's public stream as 1 and 2: 61 bytes an event
-- less than storing the texts (kafka_topic 28, event_time 23, ingested_at 23 -> 1 + 6 + 6). A
-- generated column costs nothing until it is read (then ~0.7 us a time); the pipeline reads the
-- integers. Any client spells them the same: only SQLite's own functions are used.
-- Likewise event_id: a UUID is stored as its 16 bytes (36 -> 17 bytes a row, and as much again
-- in the unique index); spelling it costs ~3 us when read. Dedup and lookups by id go through
-- event_id_coded: `WHERE event_id_coded = event_id_code('8a20529b-...')` is one index search,
-- where `WHERE event_id = '...'` spells every row's id (without litehouse's functions, write the
-- UUID's 32 hex digits as a blob: `x'8a20529b...'`).
CREATE TABLE IF NOT EXISTS bronze_events (decoded AS (bronze_fields(payload, 'comment', 'rc_id',
                  'revision_old', 'revision_new', 'log_type', 'log_action', 'minor', 'patrolled')),
  -- decoded (first, see below): the event's fields that only analysts read, as JSON, decoded
  -- from the payload when read (silver_events' comment, rc_id, revisions, log_type, log_action,
  -- is_minor, is_patrolled come from here: Gold and the checks never read them). Stored in
  -- Silver they cost ~106 bytes an event (the comment ~89). bronze_fields() is litehouse's SQL:
  -- a client without the extension reads every other column, but not this one (nor SELECT *).
  -- It is the first column because of the stock sqlite3 3.40 shell: the "unknown function"
  -- error it then prints points into the CREATE statement, and the shell walks that far into
  -- the query's text to quote it; within the first 50 characters it does not walk at all (further
  -- in, it read past the query and crashed). tests/clients/sqlite3_cli_test.sh checks. And it
  -- has no declared type: with one, PRAGMA integrity_check computes it on every row, to check
  -- the type (a payload decoded a row, and an error in a client without the extension). SQLite
  -- computes it for each row inserted too: litehouse's own inserts skip that (BronzeInsertScope,
  -- engine/bronze_codec.h).
  bronze_id       INTEGER PRIMARY KEY,       -- arrival order (within a file's batch of events, by
                                             -- event_id: engine/bronze_writer.h); Silver refers to Bronze by it
  -- meta.id, else lh1-<hash of the content>: event_id_coded (unique) spelled back.
  event_id        TEXT GENERATED ALWAYS AS (
                    CASE WHEN typeof(event_id_coded) = 'blob'
                      THEN lower(hex(substr(event_id_coded, 1, 4)) || '-' || hex(substr(event_id_coded, 5, 2)) || '-' ||
                                 hex(substr(event_id_coded, 7, 2)) || '-' || hex(substr(event_id_coded, 9, 2)) || '-' ||
                                 hex(substr(event_id_coded, 11, 6)))
                      ELSE event_id_coded END) VIRTUAL,
  source_id       INTEGER NOT NULL,          -- lh_sources.source_id
  source_offset   INTEGER,                   -- file: byte offset of the event (decompressed);
                                             -- stream: its SSE id's Kafka timestamp (ms), which
                                             -- ?since= accepts
  sse_id          TEXT,                      -- stream: the full SSE id, on the last row of each
                                             -- committed batch (the resume point)
  kafka_topic     TEXT GENERATED ALWAYS AS ( -- meta.topic
                    CASE kafka_topic_coded WHEN 1 THEN 'eqiad.mediawiki.recentchange'
                                           WHEN 2 THEN 'codfw.mediawiki.recentchange'
                                           ELSE kafka_topic_coded END) VIRTUAL,
  kafka_partition INTEGER,                   -- meta.partition
  kafka_offset    INTEGER,                   -- meta.offset
  -- meta.dt, else timestamp; 'YYYY-MM-DD HH:MM:SS.SSS' UTC (years 0000-9999: times beyond are
  -- stored as the nearer end). Seconds and milliseconds are taken apart rounding down, so times
  -- before 1970 spell right too.
  event_time      TEXT GENERATED ALWAYS AS (
                    datetime(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch') || '.' ||
                    substr(1000 + (event_time_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  event_date      TEXT GENERATED ALWAYS AS (substr(event_time, 1, 10)) VIRTUAL,
  event_hour      INTEGER GENERATED ALWAYS AS (CAST(substr(event_time, 12, 2) AS INTEGER)) VIRTUAL,
  ingested_at     TEXT GENERATED ALWAYS AS (
                    datetime(ingested_at_ms / 1000 - (ingested_at_ms % 1000 < 0), 'unixepoch') || '.' ||
                    substr(1000 + (ingested_at_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  domain          TEXT,                      -- meta.domain, else server_name
  payload         BLOB NOT NULL,             -- the original bytes, zstd-compressed
  -- What the generated columns above are spelled from (written by the ingester).
  event_id_coded  NOT NULL UNIQUE,           -- a UUID (what every meta.id of the stream is) as its
                                             -- 16 bytes, any other id as its text; no type, so
                                             -- each keeps its own. event_id_code('...') gives it
  kafka_topic_coded,                         -- 1, 2 (the public stream's two topics), else the topic's
                                             -- text; no type, so a topic named '1' stays text
  event_time_ms   INTEGER NOT NULL,
  ingested_at_ms  INTEGER NOT NULL
);

-- What could not be read. Nothing is dropped silently.
CREATE TABLE IF NOT EXISTS bronze_rejects (
  reject_id     INTEGER PRIMARY KEY,
  source_id     INTEGER NOT NULL,
  source_offset INTEGER,                     -- file: byte offset; stream: a hash of the SSE id and
                                             -- bytes (so a redelivery is stored once)
  line          INTEGER,
  rejected_at   TEXT NOT NULL,
  reason        TEXT NOT NULL,
  raw           BLOB,                        -- the bytes as read (the first 4 KiB of an oversized one)
  UNIQUE (source_id, source_offset)
);

-- Per-layer counters kept by ingest and refresh, so the status view never scans a table.
CREATE TABLE IF NOT EXISTS lh_layer_state (
  layer             TEXT PRIMARY KEY,
  row_count         INTEGER NOT NULL DEFAULT 0,
  newest_event_time TEXT,
  last_refresh_at   TEXT
);
INSERT OR IGNORE INTO lh_layer_state (layer) VALUES ('bronze'), ('silver'), ('gold');

-- Pipeline bookkeeping: the last Bronze row Silver has seen, and similar.
CREATE TABLE IF NOT EXISTS lh_state (
  key   TEXT PRIMARY KEY,
  value
);
INSERT OR IGNORE INTO lh_state (key, value) VALUES ('silver_watermark', 0);

-- No index on event_time: Bronze is read by bronze_id (refresh) and event_id (dedup); the newest
-- event time is kept in lh_layer_state. Each index costs ~40 bytes per event.
DROP INDEX IF EXISTS bronze_events_by_time;

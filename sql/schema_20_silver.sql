-- Silver: one clean row per real change. (../shared/spec/medallion.md, "Silver")
--
-- silver_events is a view over silver_events_stored, which holds every Silver field but the two
-- Bronze already has: event_id and ingested_at come from the row's Bronze row (through its
-- bronze_id, a rowid lookup), only when a query asks for them (a view's unused column costs
-- nothing; a scalar subquery is evaluated only where it is read). That is 59 bytes an event not
-- stored twice (1M events: 863.6 -> 798.1 MB, out/in 0.700 -> 0.647). Filled by
-- sql/refresh_10_silver.sql; the pipeline's own SQL reads the stored table where it needs neither
-- (INDEXED BY, and no lookup into Bronze's large rows). Indexes of your own go on
-- silver_events_stored (a view has none). Columns that follow from others by a fixed rule are
-- generated (they cost no storage and cannot disagree with their inputs).
--
-- Likewise the time is stored as milliseconds since 1970 (6 bytes, where its text took 23) and
-- spelled by generated columns as Bronze spells it (sql/schema_10_bronze.sql); the pipeline's SQL
-- reads the milliseconds. What follows from the domain alone is not stored per event: project
-- and language are silver_domains' (a row per wiki, from wiki_project() and wiki_language() when
-- Silver first meets it), and region is looked up in ref_language_region when read, so an edit of
-- the reference table applies to every Silver row at once. ~37 bytes an event in all.
--
-- Likewise the wiki (domain) is stored as silver_domains' domain_id (1 byte, where its text took
-- ~18, in the table and again in silver_by_hour_wiki_page), and the type as a code (1..5) that
-- the generated `type` spells; page_url, which follows from the domain, is the view's. The
-- pipeline's page probes go by domain_id. ~43 bytes an event in all (1M events: 648.6 -> 605.8 MB).
--
-- Likewise what only analysts read of an event, and Bronze's payload holds anyway (comment,
-- rc_id, the revisions, log_type, log_action, is_minor, is_patrolled), is read from Bronze's
-- generated column `decoded`, which decodes the payload (sql/schema_10_bronze.sql: a client
-- without the extension reads every other column). And the wiki is stored only where it is not
-- its domain's (silver_domains.wiki): wiki_coded is NULL for the domain's wiki, the event's wiki
-- where it differs, or 0 where the event names none. ~116 bytes an event in all, the comment ~89 of them
-- (1M events: Silver's table 186.5 -> 70.2 MB, the file 605.8 -> 489.9 MB).
CREATE TABLE IF NOT EXISTS silver_events_stored (
  bronze_id          INTEGER PRIMARY KEY,   -- = bronze_events.bronze_id
  event_time_ms      INTEGER NOT NULL,      -- = bronze_events.event_time_ms
  event_time         TEXT GENERATED ALWAYS AS (
                       datetime(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch') || '.' ||
                       substr(1000 + (event_time_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  event_date         TEXT GENERATED ALWAYS AS (
                       date(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch')) VIRTUAL,
  event_hour         INTEGER GENERATED ALWAYS AS ((event_time_ms % 86400000 + 86400000) % 86400000 / 3600000) VIRTUAL,
  domain_id          INTEGER NOT NULL,      -- silver_domains.domain_id
  wiki_coded,                               -- NULL: the domain's wiki; else the event's, or 0 for none
  type_code          INTEGER NOT NULL,      -- 1 edit, 2 new, 3 log, 4 categorize, 5 external
  type               TEXT GENERATED ALWAYS AS (
                       CASE type_code WHEN 1 THEN 'edit' WHEN 2 THEN 'new' WHEN 3 THEN 'log'
                                      WHEN 4 THEN 'categorize' WHEN 5 THEN 'external' END) VIRTUAL,
  namespace          INTEGER,
  title              TEXT,
  user_name          TEXT,
  is_bot             INTEGER NOT NULL,
  is_anonymous       INTEGER NOT NULL,
  is_temporary       INTEGER NOT NULL,
  user_type          TEXT GENERATED ALWAYS AS (CASE WHEN is_bot THEN 'BOT' WHEN is_anonymous THEN 'ANONYMOUS'
                                                    WHEN is_temporary THEN 'TEMPORARY' ELSE 'REGISTERED' END) VIRTUAL,
  length_old         INTEGER,
  length_new         INTEGER,
  -- new - old; a page creation with no old length counts old as 0; NULL when unknowable.
  length_delta       INTEGER GENERATED ALWAYS AS
                       (length_new - coalesce(length_old, CASE WHEN type = 'new' THEN 0 END)) VIRTUAL,
  edit_size          TEXT GENERATED ALWAYS AS
                       (CASE WHEN length_delta > 500 THEN 'LARGE_ADDITION' WHEN length_delta < -500 THEN 'LARGE_REMOVAL'
                             WHEN length_delta IS NOT NULL THEN 'SMALL' END) VIRTUAL,
  is_large_addition  INTEGER GENERATED ALWAYS AS (coalesce(length_delta > 500, 0)) VIRTUAL,
  is_large_deletion  INTEGER GENERATED ALWAYS AS (coalesce(length_delta < -500, 0)) VIRTUAL
);
-- A row per wiki Bronze has brought to a refresh (sql/refresh_10_silver.sql), before Silver's rows
-- that name it.
CREATE TABLE IF NOT EXISTS silver_domains (
  domain_id INTEGER PRIMARY KEY,
  domain    TEXT NOT NULL UNIQUE,
  project   TEXT NOT NULL,                  -- wiki_project(domain)
  language  TEXT,                           -- wiki_language(domain)
  wiki      TEXT                            -- the wiki its events name: a refresh takes the first
                                            -- one's (NULL if none), a moved file the most named
);
-- The spec's columns in the order Silver always had them.
DROP VIEW IF EXISTS silver_events;
CREATE VIEW silver_events AS
SELECT bronze_id,
       (SELECT b.event_id FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS event_id,
       event_time, event_date, event_hour,
       (SELECT b.ingested_at FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS ingested_at,
       ((SELECT b.ingested_at_ms FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) - event_time_ms) / 1000.0
         AS processing_delay_s,
       (SELECT d.domain FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS domain,
       CASE WHEN s.wiki_coded IS NULL THEN (SELECT d.wiki FROM silver_domains AS d WHERE d.domain_id = s.domain_id)
            WHEN typeof(s.wiki_coded) = 'text' THEN s.wiki_coded END AS wiki,
       type, namespace, title,
       (SELECT 'https://' || d.domain || '/wiki/' || replace(s.title, ' ', '_')
        FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS page_url,
       (SELECT b.decoded ->> 'rc_id' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS rc_id,
       (SELECT b.decoded ->> 'revision_old' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS revision_old,
       (SELECT b.decoded ->> 'revision_new' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS revision_new,
       (SELECT b.decoded ->> 'comment' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS comment,
       (SELECT b.decoded ->> 'log_type' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS log_type,
       (SELECT b.decoded ->> 'log_action' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS log_action,
       (SELECT d.project FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS project,
       (SELECT d.language FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS language,
       -- (wiki_region()'s rule, in SQL so that any SQLite client reads it)
       (SELECT CASE WHEN d.language IS NOT NULL
                      THEN coalesce((SELECT r.region FROM ref_language_region AS r WHERE r.language = d.language), 'other')
                    WHEN d.project = 'other' THEN 'other'
                    ELSE 'global' END
        FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS region,
       user_name, is_bot, is_anonymous, is_temporary,
       user_type,
       (SELECT b.decoded ->> 'minor' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS is_minor,
       (SELECT b.decoded ->> 'patrolled' FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS is_patrolled,
       length_old, length_new, length_delta, edit_size,
       is_large_addition, is_large_deletion
FROM silver_events_stored AS s;
-- Gold is maintained by deltas (sql/refresh_3*): a refresh asks whether a page was already seen
-- in an hour, a window or a day, and re-reads only the touched pages of an hour for trending.
-- This one index answers all of that with seeks ("this day" is 24 of them, one per hour). Hour
-- before page keeps insertions in time order near the end of the index, so a large ingest does
-- not thrash the page cache. namespace and is_anonymous (~3 bytes a row) let per-wiki questions
-- of an hour (docs/tour.sql 7) read the index alone: 46 -> 8 ms at 5M events, where the table
-- lookups went to a page per row. It costs ~58 bytes per event (~75 while it held the domain's
-- text); there is none on event_time or user (Gold keeps per-user state in lh_gold_hour_users and
-- lh_gold_window_editors instead).
DROP INDEX IF EXISTS silver_by_hour_page;  -- the same key without the covered columns
CREATE INDEX IF NOT EXISTS silver_by_hour_wiki_page
  ON silver_events_stored (event_date, event_hour, domain_id, title, namespace, is_anonymous);
-- Large deletions (~0.5% of rows) by hour, for "what was removed" questions and the row-level
-- drill-down from Gold (docs/tour.sql 8 and 10); a partial index costs well under 1 byte/event.
CREATE INDEX IF NOT EXISTS silver_large_deletions ON silver_events_stored (event_date, event_hour, length_delta)
  WHERE is_large_deletion;
DROP INDEX IF EXISTS silver_by_page;
DROP INDEX IF EXISTS silver_by_hour_domain;
DROP INDEX IF EXISTS silver_by_day_user;
DROP INDEX IF EXISTS silver_by_time;

-- Bronze rows that broke a Silver validity rule; Silver holds only valid rows and none vanish.
CREATE TABLE IF NOT EXISTS silver_rejects (
  bronze_id   INTEGER PRIMARY KEY,
  event_id    TEXT NOT NULL,
  rule        TEXT NOT NULL,      -- the rule broken, e.g. 'valid_type'
  reason      TEXT NOT NULL,      -- what to look at, e.g. "type '142' is not one of edit, new, log, categorize, external"
  rejected_at TEXT NOT NULL
);

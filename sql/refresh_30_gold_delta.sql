-- Gold by deltas, step 1 of 2: what the refresh's new Silver rows add, and which of their users
-- and pages Gold has not counted yet. Everything here reads Gold and its state as they were
-- before this refresh; sql/refresh_3[1-5]*.sql then merge.
--
-- Counts and sums add up. Distinct counts (users, pages, editors, wikis) grow by the members
-- seen for the first time: a user by lh_gold_hour_users and lh_gold_user_days (an editor of a
-- window by lh_gold_window_editors), a page by Silver's rows already
-- counted (outside the batch's range, through silver_by_hour_wiki_page), a wiki by gold_hourly_stats. A day
-- Gold has not seen before cannot hold anything seen before, so its members are not looked up.
-- The cost of a refresh follows its new rows, not the size of the hour or day they fall in.

-- The new rows. (Not their window_start: spelled per row it cost ~1 s of a 1M refresh;
-- sql/refresh_33_gold_kpi_5min.sql spells it once per window.)
DROP TABLE IF EXISTS temp.lh_delta;
CREATE TEMP TABLE lh_delta AS
SELECT bronze_id, event_date, event_hour, window5, domain_id, domain, title, user_name, type,
       type IN ('edit', 'new') AS is_edit, is_bot, is_anonymous, length_delta, is_large_addition,
       is_large_deletion
FROM temp.lh_silver
WHERE bronze_id > (SELECT gold_lo FROM temp.lh_batch) AND bronze_id <= (SELECT hi FROM temp.lh_batch);

-- Per (day, hour, wiki): what the new rows add to gold_hourly_stats' counts and sums (a day's
-- add up from its hours: sql/refresh_35_gold_daily_summary.sql), whether Gold has the group, and
-- whether the wiki is new to the day.
DROP TABLE IF EXISTS temp.lh_delta_hours;
CREATE TEMP TABLE lh_delta_hours AS
SELECT h.*,
       NOT EXISTS (SELECT 1 FROM gold_hourly_stats AS g
                   WHERE g.event_date = h.event_date AND g.event_hour = h.event_hour AND g.domain = h.domain) AS new_group,
       NOT EXISTS (SELECT 1 FROM gold_hourly_stats AS g
                   WHERE g.event_date = h.event_date AND g.domain = h.domain
                     AND g.event_hour IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                                          19, 20, 21, 22, 23)) AS new_wiki_in_day
FROM (SELECT event_date, event_hour, domain,
             count(*)                  AS total_events,
             sum(is_edit)              AS edits,
             sum(type = 'new')         AS new_pages,
             sum(type = 'log')         AS log_events,
             sum(type = 'categorize')  AS categorize_events,
             sum(is_bot)               AS bot_events,
             sum(is_anonymous)         AS anonymous_events,
             coalesce(sum(CASE WHEN length_delta > 0 THEN length_delta END), 0)  AS bytes_added,
             coalesce(sum(CASE WHEN length_delta < 0 THEN -length_delta END), 0) AS bytes_removed,
             coalesce(sum(length_delta), 0) AS net_bytes,
             sum(is_large_addition)    AS large_additions,
             sum(is_large_deletion)    AS large_deletions
      FROM temp.lh_delta GROUP BY event_date, event_hour, domain) AS h;

-- The days Gold already has (the batch's days read from its hours, not from its rows: an IN list of
-- 5M rows cost 0.5 s).
DROP TABLE IF EXISTS temp.lh_old_days;
CREATE TEMP TABLE lh_old_days (event_date TEXT PRIMARY KEY);
INSERT INTO temp.lh_old_days
SELECT event_date FROM gold_daily_summary WHERE event_date IN (SELECT event_date FROM temp.lh_delta_hours);

-- Per (day, hour, user, wiki): what the new rows add to the users' state (in
-- lh_gold_hour_users' key order), and whether the user is new to that hour and wiki, and to
-- that day.
DROP TABLE IF EXISTS temp.lh_delta_users;
CREATE TEMP TABLE lh_delta_users AS
SELECT u.*,
       NOT EXISTS (SELECT 1 FROM lh_gold_hour_users AS g
                   WHERE g.event_date = u.event_date AND g.event_hour = u.event_hour
                     AND g.user_name = u.user_name AND g.domain = u.domain) AS new_in_hour,
       NOT EXISTS (SELECT 1 FROM lh_gold_user_days AS g
                   WHERE g.event_date = u.event_date AND g.user_name = u.user_name) AS new_in_day
FROM (SELECT event_date, event_hour, user_name, domain,
             count(*) AS events, sum(is_edit) AS edits, sum(is_large_deletion) AS large_deletions,
             sum(is_anonymous) AS anonymous_events, max(is_bot) AS is_bot
      FROM temp.lh_delta WHERE user_name IS NOT NULL
      GROUP BY event_date, event_hour, user_name, domain) AS u;

-- Per (day, window, user) that edited: whether the user is new to the window as an editor.
DROP TABLE IF EXISTS temp.lh_delta_editors;
CREATE TEMP TABLE lh_delta_editors AS
SELECT e.*,
       NOT EXISTS (SELECT 1 FROM lh_gold_window_editors AS g
                   WHERE g.event_date = e.event_date AND g.window5 = e.window5
                     AND g.user_name = e.user_name) AS new_editor_in_window
FROM (SELECT DISTINCT event_date, window5, user_name FROM temp.lh_delta
      WHERE is_edit AND user_name IS NOT NULL) AS e;

-- Per (day, hour, wiki, title, window): the page's edits and their net bytes there (trending's
-- counts, sql/refresh_34_gold_trending_pages.sql), and whether the page is new to that hour,
-- that window (as an edited page) and that day. Silver's rows outside (gold_lo, hi] are the ones
-- Gold has counted. In silver_by_hour_wiki_page's order, so the hour and window probes walk that
-- index forward, and a page's hour is a prefix of the key (read in order, without a sort).
DROP TABLE IF EXISTS temp.lh_delta_pages;
CREATE TEMP TABLE lh_delta_pages (
  event_date, event_hour, domain_id, title, window5, domain, edits, net_bytes, old,
  new_in_hour, new_edited_in_window, new_in_day,
  PRIMARY KEY (event_date, event_hour, domain_id, title, window5)) WITHOUT ROWID;
-- The hour probe answers the other two for half the pages (5M history, a 10K batch: 4,809 of
-- 8,786 page-hours new): a page new to its hour is new to its windows there, and one that is not
-- is not new to its day, so each page takes the window probe or the day's 24 seeks, not both.
-- (q is read as a co-routine — `LIMIT -1 OFFSET 0` keeps SQLite from flattening it — so that
-- new_in_hour is probed once, not once per mention below.)
INSERT INTO temp.lh_delta_pages
SELECT event_date, event_hour, domain_id, title, window5, domain, edits, net_bytes, old, new_in_hour,
       CASE WHEN new_in_hour THEN edits > 0
            WHEN edits > 0 THEN NOT EXISTS (
              SELECT 1 FROM temp.lh_silver AS s
              WHERE s.event_date = q.event_date AND s.domain_id = q.domain_id AND s.title = q.title
                AND s.event_hour = q.event_hour AND s.window5 = q.window5 AND s.type IN ('edit', 'new')
                AND (s.bronze_id <= (SELECT gold_lo FROM temp.lh_batch) OR s.bronze_id > (SELECT hi FROM temp.lh_batch)))
            ELSE 0 END AS new_edited_in_window,
       CASE WHEN NOT new_in_hour THEN 0
            WHEN old THEN NOT EXISTS (
              SELECT 1 FROM silver_events_stored AS s
              WHERE s.event_date = q.event_date AND s.domain_id = q.domain_id AND s.title = q.title
                AND s.event_hour IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                     22, 23)
                AND (s.bronze_id <= (SELECT gold_lo FROM temp.lh_batch) OR s.bronze_id > (SELECT hi FROM temp.lh_batch)))
            ELSE 1 END AS new_in_day
FROM (SELECT p.*,
             CASE WHEN old THEN NOT EXISTS (
               SELECT 1 FROM silver_events_stored AS s
               WHERE s.event_date = p.event_date AND s.domain_id = p.domain_id AND s.title = p.title
                 AND s.event_hour = p.event_hour
                 AND (s.bronze_id <= (SELECT gold_lo FROM temp.lh_batch) OR s.bronze_id > (SELECT hi FROM temp.lh_batch)))
             ELSE 1 END AS new_in_hour
      FROM (SELECT event_date, event_hour, domain_id, title, window5, domain,
                   sum(is_edit) AS edits, sum(CASE WHEN is_edit THEN length_delta END) AS net_bytes,
                   event_date IN (SELECT event_date FROM temp.lh_old_days) AS old
            FROM temp.lh_delta WHERE title IS NOT NULL
            GROUP BY event_date, event_hour, domain_id, title, window5) AS p
      LIMIT -1 OFFSET 0) AS q;

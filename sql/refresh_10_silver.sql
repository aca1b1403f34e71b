-- Silver: the step's Bronze rows → silver_events_stored (silver_events' table), or silver_rejects
-- with the rule broken.
-- (temp.lh_classified, in refresh_00_begin.sql, says what each row is.)
-- Plain INSERT: the watermark moves in the same transaction, so a row can only arrive once (a
-- conflict here would be a bug to see, not to paper over).
DELETE FROM temp.lh_parse_ranges;
INSERT INTO temp.lh_parse_ranges SELECT lo, hi FROM temp.lh_window;
-- The wikis of the step that silver_domains does not have yet, first, so that each Silver row
-- can name its wiki by domain_id: read from Bronze's own domain column (bronze_parsed's domain is
-- that column), without decoding a payload but one per new wiki, its first row's, for the wiki
-- name its events give (wiki_coded stores only those that differ); a few dozen a step. A wiki
-- whose every row Silver rejects gets its row too, unused.
INSERT INTO silver_domains (domain, project, language, wiki)
SELECT domain, wiki_project(domain), wiki_language(domain),
       (SELECT bronze_field(b.payload, 'wiki') FROM bronze_events AS b WHERE b.bronze_id = d.first_id)
FROM (SELECT domain, min(bronze_id) AS first_id FROM bronze_events
      WHERE bronze_id > (SELECT lo FROM temp.lh_window) AND bronze_id <= (SELECT hi FROM temp.lh_window)
        AND domain <> '' AND domain <> 'canary'
      GROUP BY domain) AS d
WHERE NOT EXISTS (SELECT 1 FROM silver_domains AS k WHERE k.domain = d.domain);
-- (event_id and ingested_at are Bronze's, and so are comment, rc_id, ...: the silver_events view
-- reads them from there. The type's code is the one sql/schema_20_silver.sql spells back;
-- engine/schema.cc's move writes it too.)
INSERT INTO silver_events_stored (
  bronze_id, event_time_ms, domain_id, wiki_coded, type_code, namespace, title, user_name,
  is_bot, is_anonymous, is_temporary, length_old, length_new)
SELECT bronze_id, event_time_ms, k.domain_id, CASE WHEN c.wiki IS k.wiki THEN NULL ELSE coalesce(c.wiki, 0) END,
       CASE type WHEN 'edit' THEN 1 WHEN 'new' THEN 2 WHEN 'log' THEN 3 WHEN 'categorize' THEN 4
                 WHEN 'external' THEN 5 END,
       namespace, title, user_name, is_bot, is_anonymous, is_temporary, length_old, length_new
FROM temp.lh_classified AS c CROSS JOIN silver_domains AS k  -- (CROSS: the step's rows outermost)
WHERE reject_rule IS NULL AND NOT is_canary AND k.domain = c.domain;

-- The rest: the step's Bronze rows that Silver did not take and that are not canaries (found by
-- Bronze's own columns, without decoding a payload), classified again one by one to say why.
DELETE FROM temp.lh_parse_ranges;
INSERT INTO temp.lh_parse_ranges
SELECT bronze_id - 1, bronze_id FROM bronze_events
WHERE bronze_id > (SELECT lo FROM temp.lh_window) AND bronze_id <= (SELECT hi FROM temp.lh_window)
  AND NOT EXISTS (SELECT 1 FROM silver_events_stored AS s WHERE s.bronze_id = bronze_events.bronze_id)
  AND coalesce(domain, '') <> 'canary';
INSERT OR REPLACE INTO silver_rejects (bronze_id, event_id, rule, reason, rejected_at)
SELECT bronze_id, event_id, reject_rule,
       CASE reject_rule
         WHEN 'readable' THEN 'the Bronze payload cannot be read: ' || parse_error
         WHEN 'has_domain' THEN 'no domain: neither meta.domain nor server_name'
         WHEN 'valid_type' THEN 'type ' || quote(type) || ' is not one of edit, new, log, categorize, external'
         WHEN 'valid_namespace' THEN 'namespace ' || namespace || ' is below -2 (Media)'
         WHEN 'plausible_time' THEN 'event_time ' || event_time || ' is before Wikipedia began or more than a day in the future (it arrived ' || ingested_at || ')'
         WHEN 'valid_length' THEN 'negative page length (old ' || coalesce(length_old, 'null') || ', new ' || coalesce(length_new, 'null') || ')'
       END,
       strftime('%Y-%m-%d %H:%M:%f', 'now')
FROM temp.lh_classified
WHERE reject_rule IS NOT NULL;

-- Silver: the step's Bronze rows → silver_events, or silver_rejects with the rule broken.
-- (temp.lh_classified, in refresh_00_begin.sql, says what each row is.)
-- Plain INSERT: the watermark moves in the same transaction, so a row can only arrive once (a
-- conflict here would be a bug to see, not to paper over).
INSERT INTO silver_events (
  bronze_id, event_id, event_time, ingested_at, domain, wiki, type, namespace, title, rc_id,
  revision_old, revision_new, comment, log_type, log_action, project, language, region, user_name,
  is_bot, is_anonymous, is_temporary, is_minor, is_patrolled, length_old, length_new)
SELECT bronze_id, event_id, event_time, ingested_at, domain, wiki, type, namespace, title, rc_id,
       revision_old, revision_new, comment, log_type, log_action, project, language, region, user_name,
       is_bot, is_anonymous, is_temporary, minor, patrolled, length_old, length_new
FROM temp.lh_classified
WHERE reject_rule IS NULL AND NOT is_canary;

-- The rest, without decoding again what reached Silver or is a canary: those two conditions
-- read only Bronze's own columns, and bronze_parsed decodes a row only when asked for more.
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
WHERE bronze_id NOT IN (SELECT bronze_id FROM temp.lh_step_rows)
  AND coalesce(domain, '') <> 'canary'
  AND reject_rule IS NOT NULL;

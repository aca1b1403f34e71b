-- Views for people.

-- Bronze with its source's name and the original event text.
DROP VIEW IF EXISTS bronze_events_raw;
CREATE VIEW bronze_events_raw AS
  SELECT b.bronze_id, b.event_id, s.name AS source, b.source_offset, b.sse_id, b.kafka_topic, b.kafka_partition,
         b.kafka_offset, b.event_time, b.event_date, b.event_hour, b.ingested_at, b.domain,
         lh_raw(b.payload) AS raw_json
  FROM bronze_events b JOIN lh_sources s USING (source_id);

-- Per layer: rows, newest event_time, last refresh, and lag (now - newest event) in seconds.
-- Reads counters the pipeline keeps, so it costs nothing on a large database.
DROP VIEW IF EXISTS lh_status;
CREATE VIEW lh_status AS
  SELECT layer, row_count AS rows, newest_event_time, last_refresh_at,
         round((julianday('now') - julianday(newest_event_time)) * 86400.0, 3) AS lag_seconds
  FROM lh_layer_state
  ORDER BY CASE layer WHEN 'bronze' THEN 1 WHEN 'silver' THEN 2 ELSE 3 END;

#include "engine/bronze_writer.h"

#include "engine/sqlite_api.h"

#include <algorithm>
#include <climits>
#include <numeric>

#include "engine/bronze_codec.h"
#include "engine/event_id.h"
#include "engine/time_util.h"

namespace litehouse::internal {

int KafkaTopicCode(std::string_view topic) {
  // As sql/schema_10_bronze.sql's kafka_topic spells them back (and engine/schema.cc's move of
  // older databases codes them).
  if (topic == "eqiad.mediawiki.recentchange") return 1;
  if (topic == "codfw.mediawiki.recentchange") return 2;
  return 0;
}

Status BronzeWriter::Prepare() {
  Status s = insert_.Prepare(db_,
                             "INSERT INTO bronze_events (event_id_coded, source_id, source_offset, kafka_topic_coded, "
                             "kafka_partition, kafka_offset, event_time_ms, ingested_at_ms, domain, payload, sse_id) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id_coded) DO NOTHING");
  if (s.ok()) {
    s = reject_.Prepare(db_,
                        "INSERT OR IGNORE INTO bronze_rejects (source_id, source_offset, line, rejected_at, "
                        "reason, raw) VALUES (?, ?, ?, ?, ?, ?)");
  }
  if (s.ok()) {
    s = source_.Prepare(db_,
                        "UPDATE lh_sources SET position = ?, scanner_state = ?, complete = ?, updated_at = ? "
                        "WHERE source_id = ?");
  }
  if (s.ok()) {
    s = layer_.Prepare(db_,
                       "UPDATE lh_layer_state SET row_count = row_count + ?, "
                       "newest_event_time = nullif(max(coalesce(newest_event_time, ''), coalesce(?, '')), '') "
                       "WHERE layer = 'bronze'");
  }
  return s;
}

Status BronzeWriter::Write(const BronzeBatch& batch, BronzeWriteResult* result, std::vector<char>* inserted_flags) {
  *result = BronzeWriteResult();
  if (inserted_flags) inserted_flags->assign(batch.events.size(), 0);
  Status s;
  if (!batch.dictionary.empty()) {
    s = BronzeCompressor::Store(db_, batch.dictionary, batch.dictionary_samples);
    if (!s.ok()) return s;
  }
  const int64_t now_ms = NowMs();
  const std::string now = FormatTime(now_ms);
  order_.resize(batch.events.size());
  std::iota(order_.begin(), order_.end(), 0u);
  if (row_order_ == RowOrder::kEventId) {
    std::stable_sort(order_.begin(), order_.end(), [&batch](uint32_t a, uint32_t b) {
      return batch.View(batch.events[a].event_id) < batch.View(batch.events[b].event_id);
    });
  }
  unsigned char uuid[kUuidBytes];  // (bound until the next row's)
  for (uint32_t i : order_) {
    const PendingEvent& e = batch.events[i];
    const std::string_view event_id = batch.View(e.event_id);
    if (PackUuid(event_id, uuid)) insert_.BindBlobStatic(1, uuid, kUuidBytes);
    else insert_.BindTextStatic(1, event_id);
    insert_.BindInt(2, source_id_);
    insert_.BindInt(3, static_cast<int64_t>(e.offset));
    const std::string_view topic = batch.View(e.topic);
    if (int code = KafkaTopicCode(topic)) insert_.BindInt(4, code);
    else if (topic.empty()) insert_.BindNull(4);
    else insert_.BindTextStatic(4, topic);
    if (e.partition) insert_.BindInt(5, *e.partition); else insert_.BindNull(5);
    if (e.kafka_offset) insert_.BindInt(6, *e.kafka_offset); else insert_.BindNull(6);
    insert_.BindInt(7, e.event_time_ms);
    insert_.BindInt(8, now_ms);
    if (e.domain.empty()) insert_.BindNull(9); else insert_.BindTextStatic(9, batch.View(e.domain));
    insert_.BindBlobStatic(10, batch.View(e.payload).data(), e.payload.size);
    if (e.sse_id.empty()) insert_.BindNull(11); else insert_.BindTextStatic(11, batch.View(e.sse_id));
    int rc;
    {
      BronzeInsertScope inserting;  // (`decoded` is not computed for a row being written)
      rc = insert_.Step();
    }
    insert_.Reset();
    if (rc != SQLITE_DONE) return Status::SqlError(std::string("inserting into bronze_events: ") + sqlite3_errmsg(db_));
    if (sqlite3_changes(db_) > 0) {
      ++result->inserted;
      if (e.event_time_ms > result->newest_event_ms) result->newest_event_ms = e.event_time_ms;
      if (inserted_flags) (*inserted_flags)[i] = 1;
    } else {
      ++result->duplicates;
    }
  }
  for (const PendingReject& r : batch.rejects) {
    reject_.BindInt(1, source_id_);
    reject_.BindInt(2, static_cast<int64_t>(r.offset));
    reject_.BindInt(3, static_cast<int64_t>(r.line));
    reject_.BindTextStatic(4, now);
    reject_.BindTextStatic(5, r.reason);
    reject_.BindBlobStatic(6, r.raw.data(), r.raw.size());
    int rc = reject_.Step();
    reject_.Reset();
    if (rc != SQLITE_DONE) return Status::SqlError(std::string("inserting into bronze_rejects: ") + sqlite3_errmsg(db_));
    result->rejects += static_cast<uint64_t>(sqlite3_changes(db_));
  }
  source_.BindInt(1, static_cast<int64_t>(batch.position));
  source_.BindText(2, batch.state);
  source_.BindInt(3, batch.complete ? 1 : 0);
  source_.BindTextStatic(4, now);
  source_.BindInt(5, source_id_);
  int rc = source_.Step();
  source_.Reset();
  if (rc != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db_));
  layer_.BindInt(1, static_cast<int64_t>(result->inserted));
  std::string newest_text = result->newest_event_ms == INT64_MIN ? std::string() : FormatTime(result->newest_event_ms);
  if (newest_text.empty()) layer_.BindNull(2); else layer_.BindText(2, newest_text);
  rc = layer_.Step();
  layer_.Reset();
  if (rc != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db_));
  return Status::Ok();
}

}  // namespace litehouse::internal

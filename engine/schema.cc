// EnsureSchema: runs sql/schema_*.sql (embedded) in file-name order, once per schema version.
#include <cstring>
#include <string>
#include <vector>

#include "engine/event_id.h"
#include "engine/sql_scripts.h"
#include "engine/sqlite_util.h"
#include "litehouse/pipeline.h"

namespace litehouse {
namespace {

// The schema version is derived from the schema scripts themselves, so a changed script is
// applied to existing databases (the scripts are idempotent: CREATE ... IF NOT EXISTS).
int64_t SchemaVersion() {
  uint64_t h = 0;
  for (int i = 0; i < internal::kSqlScriptCount; ++i) {
    if (std::strncmp(internal::kSqlScripts[i].name, "schema_", 7) == 0) {
      h ^= internal::Fnv1a64(internal::kSqlScripts[i].text) + (h << 6) + (h >> 2);
    }
  }
  return static_cast<int64_t>(h & 0x7fffffff) | 1;
}

// Databases made before silver_events became a view (sql/schema_20_silver.sql) hold Silver as a
// table with event_id and ingested_at: it becomes silver_events_stored without them (its rows and
// indexes kept, an analyst's too), and the schema script then defines the view over it. Each
// stored column dropped rewrites the table once (both: 3.9 s for 1M rows, cached);
// processing_delay_s is generated from ingested_at and goes first.
Status MigrateSilverTableToView(sqlite3* db) {
  int64_t is_table = 0;
  Status s = internal::QueryInt(
      db, "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = 'silver_events'",
      &is_table);
  if (!s.ok() || is_table == 0) return s;
  s = internal::Exec(db,
                     "ALTER TABLE main.silver_events RENAME TO silver_events_stored;"
                     "ALTER TABLE main.silver_events_stored DROP COLUMN processing_delay_s;"
                     "ALTER TABLE main.silver_events_stored DROP COLUMN ingested_at;"
                     "ALTER TABLE main.silver_events_stored DROP COLUMN event_id;");
  if (!s.ok()) {
    return Status::SqlError(
        "moving Silver's table to silver_events_stored (Silver is now a view): " + s.message() +
        " (an index on event_id or ingested_at of silver_events must be dropped first)");
  }
  return s;
}

// Whether main.`table` exists without `column` (a layout older than the one that added it).
Status LacksColumn(sqlite3* db, const std::string& table, const std::string& column, bool* lacks) {
  int64_t n = 0;
  Status s = internal::QueryInt(
      db,
      "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = '" + table + "' "
      "AND NOT EXISTS (SELECT 1 FROM pragma_table_xinfo('" + table + "', 'main') WHERE name = '" + column + "')",
      &n);
  *lacks = n > 0;
  return s;
}

// When `table` lacks `new_column`, copies it into the layout its schema script now defines, in
// one pass, once: the table is renamed to `old_name` (with legacy_alter_table on, so that views
// naming `table` — an analyst's too — keep naming it, not the old table), the script makes the
// new table, `copy_sql` fills it from `old_name`, the old table is dropped, the script runs again
// (making the pipeline's indexes as it now defines them), and the other indexes and triggers that
// were on `table` (one's own) are made again, after the rows are in.
Status MoveToNewLayout(sqlite3* db, const std::string& table, const std::string& new_column,
                       const std::string& old_name, const char* script, const std::string& copy_sql,
                       const std::string& what) {
  bool old_layout = false;
  Status s = LacksColumn(db, table, new_column, &old_layout);
  if (!s.ok() || !old_layout) return s;
  // The names and CREATE statements of the indexes and triggers on it.
  std::vector<std::pair<std::string, std::string>> own_objects;
  internal::Stmt q;
  s = q.Prepare(db, "SELECT name, sql FROM main.sqlite_schema WHERE tbl_name = '" + table +
                        "' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name");
  while (s.ok() && q.Step() == SQLITE_ROW) own_objects.emplace_back(q.ColumnText(0), q.ColumnText(1));
  if (!s.ok()) return s;
  s = internal::Exec(db, "PRAGMA legacy_alter_table = ON;"
                         "ALTER TABLE main." + table + " RENAME TO " + old_name + ";");
  Status off = internal::Exec(db, "PRAGMA legacy_alter_table = OFF");
  if (s.ok()) s = off;
  if (s.ok()) s = internal::Exec(db, internal::SqlScriptText(script));
  if (s.ok()) s = internal::Exec(db, copy_sql + "; DROP TABLE main." + old_name + ";");
  if (s.ok()) s = internal::Exec(db, internal::SqlScriptText(script));
  for (size_t i = 0; s.ok() && i < own_objects.size(); ++i) {
    const auto& [name, sql] = own_objects[i];
    internal::Stmt made;  // by the script: one of the pipeline's, as the script now defines it
    s = made.Prepare(db, "SELECT 1 FROM main.sqlite_schema WHERE name = ?");
    if (!s.ok()) break;
    made.BindText(1, name);
    if (made.Step() == SQLITE_ROW) continue;
    s = internal::Exec(db, sql);
    if (!s.ok()) s = Status::SqlError(s.message() + " (making again: " + sql + ")");
  }
  if (!s.ok()) return Status::SqlError(what + ": " + s.message());
  return s;
}

// SQL for the milliseconds since 1970 of a time column written as 'YYYY-MM-DD HH:MM:SS.SSS':
// julianday() reads it exactly enough for round() to give them back.
std::string MillisecondsOf(const std::string& column) {
  return "CAST(round((julianday(" + column + ") - 2440587.5) * 86400000.0) AS INTEGER)";
}

// SQL for Silver's type_code of a text `type` (sql/schema_20_silver.sql spells it back; the
// refresh writes it in sql/refresh_10_silver.sql): NULL for any other type, which Silver rejects.
constexpr const char* kTypeCodeOfType =
    "CASE type WHEN 'edit' THEN 1 WHEN 'new' THEN 2 WHEN 'log' THEN 3 WHEN 'categorize' THEN 4 "
    "WHEN 'external' THEN 5 END";

// Databases made before Bronze stored its event_ids coded (sql/schema_10_bronze.sql; up to commit
// 9a16483) hold them as text, and those made before it stored its times as milliseconds (up to
// 562c39a) event_time, ingested_at and kafka_topic as text too: either moves to the current
// layout in one copy (1M rows: 15.6 s from text times, 13.9 s from text ids). event_id_code()
// is litehouse's SQL (RegisterSql).
Status MigrateBronzeToCodedColumns(sqlite3* db) {
  bool text_times = false;
  Status s = LacksColumn(db, "bronze_events", "event_time_ms", &text_times);
  if (!s.ok()) return s;
  const std::string topic_and_times =
      text_times ? "CASE kafka_topic WHEN 'eqiad.mediawiki.recentchange' THEN 1"
                   "  WHEN 'codfw.mediawiki.recentchange' THEN 2 ELSE kafka_topic END, " +
                       MillisecondsOf("event_time") + ", " + MillisecondsOf("ingested_at")
                 : std::string("kafka_topic_coded, event_time_ms, ingested_at_ms");
  return MoveToNewLayout(
      db, "bronze_events", "event_id_coded", "lh_bronze_events_before_coded", "schema_10_bronze",
      "INSERT INTO main.bronze_events (bronze_id, event_id_coded, source_id, source_offset, sse_id, kafka_partition,"
      "  kafka_offset, domain, payload, kafka_topic_coded, event_time_ms, ingested_at_ms) "
      "SELECT bronze_id, event_id_code(event_id), source_id, source_offset, sse_id, kafka_partition, kafka_offset,"
      "  domain, payload, " + topic_and_times + " FROM main.lh_bronze_events_before_coded ORDER BY bronze_id",
      "moving Bronze to its coded columns");
}

// Databases made before Silver stored its wiki as a domain_id and its type as a code (up to
// commit d599c60) hold both as text on every row, and those made before it stored its time as
// milliseconds (up to 05ed75e) the time as text and project, language and region on every row
// too: either moves to the current layout in one copy. silver_domains gets its domain_id (its
// older table, where there is one, is copied over); region is no longer stored (the view looks it
// up in ref_language_region). An index of one's own on domain, page_url, project, language or
// region cannot be made again: the move fails saying so, and nothing changes.
Status MigrateSilverToCodedColumns(sqlite3* db) {
  bool before_ids = false;
  bool text_times = false;
  Status s = LacksColumn(db, "silver_events_stored", "domain_id", &before_ids);
  if (s.ok()) s = LacksColumn(db, "silver_events_stored", "event_time_ms", &text_times);
  if (!s.ok() || !before_ids) return s;
  std::string domains;  // fills silver_domains from the older layout
  if (text_times) {
    domains = "SELECT domain, project, language FROM main.lh_silver_events_before_coded GROUP BY domain";
  } else {
    // (legacy_alter_table: views naming silver_domains keep naming it, as MoveToNewLayout's do)
    s = internal::Exec(db, "PRAGMA legacy_alter_table = ON;"
                           "ALTER TABLE main.silver_domains RENAME TO lh_silver_domains_before_ids;");
    Status off = internal::Exec(db, "PRAGMA legacy_alter_table = OFF");
    if (s.ok()) s = off;
    if (!s.ok()) return s;
    domains = "SELECT domain, project, language FROM main.lh_silver_domains_before_ids ORDER BY domain";
  }
  return MoveToNewLayout(
      db, "silver_events_stored", "domain_id", "lh_silver_events_before_coded", "schema_20_silver",
      "INSERT INTO main.silver_domains (domain, project, language) " + domains + ";" +
          (text_times ? "" : "DROP TABLE main.lh_silver_domains_before_ids;") +
          "INSERT INTO main.silver_events_stored (bronze_id, event_time_ms, domain_id, wiki, type_code, namespace,"
          "  title, rc_id, revision_old, revision_new, comment, log_type, log_action, user_name, is_bot,"
          "  is_anonymous, is_temporary, is_minor, is_patrolled, length_old, length_new) "
          "SELECT bronze_id, " +
          (text_times ? MillisecondsOf("event_time") : std::string("event_time_ms")) +
          ", (SELECT d.domain_id FROM main.silver_domains AS d WHERE d.domain = o.domain), wiki, " + kTypeCodeOfType +
          ", namespace, title, rc_id, revision_old, revision_new, comment, log_type, log_action, user_name, is_bot,"
          "  is_anonymous, is_temporary, is_minor, is_patrolled, length_old, length_new"
          " FROM main.lh_silver_events_before_coded AS o ORDER BY bronze_id",
      "moving Silver to its coded columns");
}

}  // namespace

Status EnsureSchema(sqlite3* db) {
  using internal::Exec;
  sqlite3_busy_timeout(db, 10000);
  int64_t version = 0;
  Status s = internal::QueryInt(db, "PRAGMA user_version", &version);
  if (!s.ok()) return s;
  if (version == SchemaVersion()) return Status::Ok();
  // WAL lets other processes read while an ingest writes; readers see whole commits only.
  // (An in-memory database keeps its own journal mode; that is fine.)
  s = Exec(db, "PRAGMA journal_mode=WAL");
  if (!s.ok()) return s;
  internal::Transaction txn(db);
  s = txn.Begin();
  if (!s.ok()) return s;
  s = MigrateBronzeToCodedColumns(db);
  if (!s.ok()) return s;
  s = MigrateSilverTableToView(db);
  if (!s.ok()) return s;
  s = MigrateSilverToCodedColumns(db);
  if (!s.ok()) return s;
  for (int i = 0; i < internal::kSqlScriptCount; ++i) {
    const internal::SqlScript& script = internal::kSqlScripts[i];
    if (std::strncmp(script.name, "schema_", 7) != 0) continue;
    s = Exec(db, script.text);
    if (!s.ok()) return Status::SqlError(std::string("sql/") + script.name + ".sql: " + s.message());
  }
  s = Exec(db, "PRAGMA user_version = " + std::to_string(SchemaVersion()));
  if (!s.ok()) return s;
  return txn.Commit();
}

}  // namespace litehouse

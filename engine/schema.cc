// EnsureSchema: runs sql/schema_*.sql (embedded) in file-name order, once per schema version.
#include <cstring>
#include <string>
#include <vector>

#include "engine/bronze_codec.h"
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
  if (s.ok()) {
    internal::BronzeInsertScope inserting;  // (a Bronze copy does not decode its payloads)
    s = internal::Exec(db, copy_sql + "; DROP TABLE main." + old_name + ";");
  }
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

// Databases made before Bronze had its `decoded` column first (sql/schema_10_bronze.sql; up to
// commit 0ea0bfd) move to the current layout in one copy, and so do those made before it stored
// its event_ids coded (up to 9a16483) or its times as milliseconds (up to 562c39a): 1M rows,
// 13.9 s from text ids, 15.6 s from text times (and, with Silver's move below, 23.2 s from
// 0ea0bfd's layout). event_id_code() is litehouse's SQL (RegisterSql).
Status MigrateBronzeToCurrentLayout(sqlite3* db) {
  bool text_times = false;
  bool text_ids = false;
  Status s = LacksColumn(db, "bronze_events", "event_time_ms", &text_times);
  if (s.ok()) s = LacksColumn(db, "bronze_events", "event_id_coded", &text_ids);
  if (!s.ok()) return s;
  const std::string topic_and_times =
      text_times ? "CASE kafka_topic WHEN 'eqiad.mediawiki.recentchange' THEN 1"
                   "  WHEN 'codfw.mediawiki.recentchange' THEN 2 ELSE kafka_topic END, " +
                       MillisecondsOf("event_time") + ", " + MillisecondsOf("ingested_at")
                 : std::string("kafka_topic_coded, event_time_ms, ingested_at_ms");
  return MoveToNewLayout(
      db, "bronze_events", "decoded", "lh_bronze_events_before", "schema_10_bronze",
      "INSERT INTO main.bronze_events (bronze_id, event_id_coded, source_id, source_offset, sse_id, kafka_partition,"
      "  kafka_offset, domain, payload, kafka_topic_coded, event_time_ms, ingested_at_ms) "
      "SELECT bronze_id, " + std::string(text_ids ? "event_id_code(event_id)" : "event_id_coded") +
          ", source_id, source_offset, sse_id, kafka_partition, kafka_offset, domain, payload, " + topic_and_times +
          " FROM main.lh_bronze_events_before ORDER BY bronze_id",
      "moving Bronze to its current layout");
}

// Databases made before Silver left comment, rc_id, ... to Bronze's payload and stored the wiki
// only where it is not its domain's (up to commit 0ea0bfd), those made before it stored its wiki
// as a domain_id and its type as a code (up to d599c60), and those made before it stored its time
// as milliseconds (up to 05ed75e, with project, language and region on every row too) move to
// the current layout in one copy. silver_domains gets its domain_id (its older table, where
// there is one, is copied over) and, as its wiki, the one most of its rows name. An index of
// one's own on a column no longer stored (domain, page_url, project, language, region, wiki,
// comment, rc_id, ...) cannot be made again: the move fails saying so, and nothing changes.
Status MigrateSilverToCurrentLayout(sqlite3* db) {
  bool before_slim = false;
  bool before_ids = false;
  bool text_times = false;
  Status s = LacksColumn(db, "silver_events_stored", "wiki_coded", &before_slim);
  if (s.ok()) s = LacksColumn(db, "silver_events_stored", "domain_id", &before_ids);
  if (s.ok()) s = LacksColumn(db, "silver_events_stored", "event_time_ms", &text_times);
  if (!s.ok() || !before_slim) return s;
  std::string domains;  // fills silver_domains from the older layout
  if (!before_ids) {
    s = internal::Exec(db, "ALTER TABLE main.silver_domains ADD COLUMN wiki TEXT");
    if (!s.ok()) return s;
  } else if (text_times) {
    domains = "INSERT INTO main.silver_domains (domain, project, language) "
              "SELECT domain, project, language FROM main.lh_silver_events_before GROUP BY domain;";
  } else {
    // (legacy_alter_table: views naming silver_domains keep naming it, as MoveToNewLayout's do)
    s = internal::Exec(db, "PRAGMA legacy_alter_table = ON;"
                           "ALTER TABLE main.silver_domains RENAME TO lh_silver_domains_before_ids;");
    Status off = internal::Exec(db, "PRAGMA legacy_alter_table = OFF");
    if (s.ok()) s = off;
    if (!s.ok()) return s;
    domains = "INSERT INTO main.silver_domains (domain, project, language) "
              "SELECT domain, project, language FROM main.lh_silver_domains_before_ids ORDER BY domain;"
              "DROP TABLE main.lh_silver_domains_before_ids;";
  }
  const std::string domain_id =
      before_ids ? "(SELECT d.domain_id FROM main.silver_domains AS d WHERE d.domain = o.domain)" : "o.domain_id";
  return MoveToNewLayout(
      db, "silver_events_stored", "wiki_coded", "lh_silver_events_before", "schema_20_silver",
      domains +
          "CREATE TEMP TABLE lh_domain_wikis AS "
          "SELECT domain_id, wiki, max(n) FROM (SELECT " + domain_id + " AS domain_id, wiki, count(*) AS n"
          "  FROM main.lh_silver_events_before AS o GROUP BY 1, 2) GROUP BY domain_id;"
          "UPDATE main.silver_domains SET wiki = (SELECT w.wiki FROM temp.lh_domain_wikis AS w"
          "  WHERE w.domain_id = silver_domains.domain_id);"
          "DROP TABLE temp.lh_domain_wikis;"
          "INSERT INTO main.silver_events_stored (bronze_id, event_time_ms, domain_id, wiki_coded, type_code,"
          "  namespace, title, user_name, is_bot, is_anonymous, is_temporary, length_old, length_new) "
          "SELECT bronze_id, " + (text_times ? MillisecondsOf("event_time") : std::string("event_time_ms")) + ", " +
          domain_id + ", (SELECT CASE WHEN o.wiki IS d.wiki THEN NULL ELSE coalesce(o.wiki, 0) END"
          "  FROM main.silver_domains AS d WHERE d.domain_id = " + domain_id + "), " +
          (before_ids ? kTypeCodeOfType : "type_code") +
          ", namespace, title, user_name, is_bot, is_anonymous, is_temporary, length_old, length_new"
          " FROM main.lh_silver_events_before AS o ORDER BY bronze_id",
      "moving Silver to its current layout");
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
  s = MigrateBronzeToCurrentLayout(db);
  if (!s.ok()) return s;
  s = MigrateSilverTableToView(db);
  if (!s.ok()) return s;
  s = MigrateSilverToCurrentLayout(db);
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

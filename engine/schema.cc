// EnsureSchema: runs sql/schema_*.sql (embedded) in file-name order, once per schema version.
#include <cstring>

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
  s = MigrateSilverTableToView(db);
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

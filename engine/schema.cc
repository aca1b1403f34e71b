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

// Refresh: new Bronze rows → Silver → Gold by deltas, by the SQL in sql/refresh_*.sql; and the
// check of Gold against its definition, sql/recompute_*.sql.
#include "engine/sqlite_api.h"

#include <chrono>
#include <cstdio>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "engine/json_writer.h"
#include "engine/sql_scripts.h"
#include "engine/sqlite_util.h"
#include "litehouse/pipeline.h"

namespace litehouse {
namespace {

using internal::Exec;
using internal::QueryInt;

// Bronze rows handled per Silver step. Steps stream (no step is held in memory); they bound
// how much one statement does between the watermark moves of the same transaction.
constexpr int64_t kRowsPerStep = 1000000;

Status SetWindow(sqlite3* db, int64_t lo, int64_t hi) {
  return Exec(db, "DELETE FROM temp.lh_window; INSERT INTO temp.lh_window VALUES (" + std::to_string(lo) + ", " +
                      std::to_string(hi) + ")");
}

// Gold and the state its delta refresh keeps: rebuilt together, checked together.
const char* const kGoldTables[] = {"gold_hourly_stats",  "gold_kpi_5min",        "gold_user_risk",
                                   "gold_trending_pages", "gold_daily_summary",  "lh_gold_user_windows",
                                   "lh_gold_windows",     "lh_gold_days"};

// The version of Gold's definitions and state. A database whose Gold was built by another version
// (or before there was one) rebuilds Gold from Silver at its next refresh. Bump it when a change
// to sql/refresh_3* or sql/recompute_* changes what Gold or its state hold.
constexpr int64_t kGoldModel = 2;

Status ClearGold(sqlite3* db) {
  for (const char* table : kGoldTables) {
    Status s = Exec(db, std::string("DELETE FROM main.") + table);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Runs every embedded script whose name starts with `prefix`, in name order.
Status RunScripts(sqlite3* db, const char* prefix) {
  size_t n = std::strlen(prefix);
  for (int i = 0; i < internal::kSqlScriptCount; ++i) {
    const internal::SqlScript& script = internal::kSqlScripts[i];
    if (std::strncmp(script.name, prefix, n) != 0) continue;
    const auto started = std::chrono::steady_clock::now();
    Status s = Exec(db, script.text);
    if (!s.ok()) return Status::SqlError(std::string("sql/") + script.name + ".sql: " + s.message());
    // LITEHOUSE_TRACE=1 prints how long each model takes (for profiling refreshes).
    static const bool trace = std::getenv("LITEHOUSE_TRACE") != nullptr;
    if (trace) {
      std::fprintf(stderr, "trace: sql/%s.sql %.3f s\n", script.name,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  }
  return Status::Ok();
}

}  // namespace

std::string RefreshStats::ToJson() const {
  return internal::JsonObjectWriter()
      .Add("bronze_rows", bronze_rows)
      .Add("silver_rows", silver_rows)
      .Add("silver_rejects", silver_rejects)
      .Add("touched_hours", touched_hours)
      .Add("seconds", seconds)
      .Finish();
}

Status Refresh(sqlite3* db, RefreshStats* stats) {
  const auto started = std::chrono::steady_clock::now();
  *stats = RefreshStats();
  Status s = EnsureSchema(db);
  if (!s.ok()) return s;
  s = Exec(db, internal::kWriterPragmas);
  if (!s.ok()) return s;
  internal::Transaction txn(db);
  s = txn.Begin();
  if (!s.ok()) return s;
  int64_t lo = 0, top = 0, gold_model = 0;
  s = QueryInt(db, "SELECT value FROM lh_state WHERE key = 'silver_watermark'", &lo);
  if (s.ok()) s = QueryInt(db, "SELECT coalesce(max(bronze_id), 0) FROM bronze_events", &top);
  if (s.ok()) s = QueryInt(db, "SELECT coalesce((SELECT value FROM lh_state WHERE key = 'gold_model'), 0)", &gold_model);
  if (!s.ok()) return s;
  // Gold counts Silver's rows up to the watermark; this refresh adds the ones after it. A Gold of
  // another model starts again from nothing and counts all of Silver.
  const bool rebuild = gold_model != kGoldModel;
  int64_t gold_from = lo;
  if (rebuild) {
    gold_from = 0;
    s = ClearGold(db);
    if (s.ok()) s = Exec(db, "UPDATE lh_layer_state SET row_count = 0 WHERE layer = 'gold'");
    if (s.ok()) {
      s = Exec(db, "INSERT OR REPLACE INTO lh_state (key, value) VALUES ('gold_model', " +
                       std::to_string(kGoldModel) + ")");
    }
    if (!s.ok()) return s;
  }
  s = RunScripts(db, "refresh_0");  // temp views and tables
  if (s.ok()) {
    s = Exec(db, "DELETE FROM temp.lh_refresh; INSERT INTO temp.lh_refresh VALUES (" + std::to_string(gold_from) + ")");
  }
  if (!s.ok()) return s;
  // Silver in steps (bounded temp tables); Gold then takes all of the refresh's new rows at once.
  while (lo < top) {
    int64_t hi = std::min(top, lo + kRowsPerStep);
    s = SetWindow(db, lo, hi);
    if (s.ok()) s = RunScripts(db, "refresh_1");  // Silver, its rejects, watermark and counters
    if (!s.ok()) return s;
    const std::string range = " WHERE bronze_id > " + std::to_string(lo) + " AND bronze_id <= " + std::to_string(hi);
    int64_t n = 0;
    s = QueryInt(db, "SELECT count(*) FROM bronze_events" + range, &n);
    if (!s.ok()) return s;
    stats->bronze_rows += static_cast<uint64_t>(n);
    s = QueryInt(db, "SELECT count(*) FROM silver_events" + range, &n);
    if (!s.ok()) return s;
    stats->silver_rows += static_cast<uint64_t>(n);
    s = QueryInt(db, "SELECT count(*) FROM silver_rejects" + range, &n);
    if (!s.ok()) return s;
    stats->silver_rejects += static_cast<uint64_t>(n);
    lo = hi;
  }
  if (stats->bronze_rows > 0 || rebuild) {
    int64_t n = 0;
    s = RunScripts(db, "refresh_3");  // Gold
    if (s.ok()) s = RunScripts(db, "refresh_9");
    if (s.ok()) s = QueryInt(db, "SELECT count(*) FROM temp.lh_delta_hours", &n);
    if (!s.ok()) return s;
    stats->touched_hours = static_cast<uint64_t>(n);
  } else {
    s = Exec(db, "UPDATE lh_layer_state SET last_refresh_at = strftime('%Y-%m-%d %H:%M:%f', 'now')");
    if (!s.ok()) return s;
  }
  s = txn.Commit();
  if (!s.ok()) return s;
  stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Status::Ok();
}

Status CheckGoldAgainstRecompute(sqlite3* db, uint64_t* differences) {
  *differences = 0;
  // Snapshot Gold and its state, recompute them from Silver inside a savepoint, compare, roll back.
  Status s = Exec(db, "SAVEPOINT lh_check");
  if (!s.ok()) return s;
  auto fail = [&](Status st) {
    Exec(db, "ROLLBACK TO lh_check; RELEASE lh_check").ok();
    return st;
  };
  for (const char* table : kGoldTables) {
    s = Exec(db, std::string("DROP TABLE IF EXISTS temp.snap_") + table + "; CREATE TEMP TABLE snap_" + table +
                     " AS SELECT * FROM main." + table);
    if (!s.ok()) return fail(s);
  }
  // Gold as its definition computes it from the whole of Silver.
  s = ClearGold(db);
  if (s.ok()) s = RunScripts(db, "refresh_0");
  if (s.ok()) s = RunScripts(db, "recompute_");
  if (!s.ok()) return fail(s);
  for (const char* table : kGoldTables) {
    int64_t n = 0;
    std::string t(table);
    s = QueryInt(db,
                 "SELECT (SELECT count(*) FROM (SELECT * FROM temp.snap_" + t + " EXCEPT SELECT * FROM main." + t +
                     ")) + (SELECT count(*) FROM (SELECT * FROM main." + t + " EXCEPT SELECT * FROM temp.snap_" + t + "))",
                 &n);
    if (!s.ok()) return fail(s);
    *differences += static_cast<uint64_t>(n);
  }
  s = Exec(db, "ROLLBACK TO lh_check; RELEASE lh_check");
  if (!s.ok()) return s;
  for (const char* table : kGoldTables) Exec(db, std::string("DROP TABLE IF EXISTS temp.snap_") + table).ok();
  return Status::Ok();
}

Status PipelineStats(sqlite3* db, std::string* json) {
  Status s = EnsureSchema(db);
  if (!s.ok()) return s;
  internal::Stmt q;
  s = q.Prepare(db,
                "SELECT json_object("
                "'bronze_events', (SELECT row_count FROM lh_layer_state WHERE layer = 'bronze'),"
                "'silver_events', (SELECT row_count FROM lh_layer_state WHERE layer = 'silver'),"
                "'gold_hourly_stats', (SELECT count(*) FROM gold_hourly_stats),"
                "'bronze_rejects', (SELECT count(*) FROM bronze_rejects),"
                "'silver_rejects', (SELECT count(*) FROM silver_rejects),"
                "'sources', (SELECT count(*) FROM lh_sources),"
                "'dictionaries', (SELECT count(*) FROM lh_dictionaries),"
                "'silver_watermark', (SELECT value FROM lh_state WHERE key = 'silver_watermark'),"
                "'newest_event_time', (SELECT newest_event_time FROM lh_layer_state WHERE layer = 'bronze'),"
                "'last_refresh_at', (SELECT last_refresh_at FROM lh_layer_state WHERE layer = 'silver'),"
                "'database_bytes', (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size))");
  if (!s.ok()) return s;
  if (q.Step() != SQLITE_ROW) return Status::SqlError(sqlite3_errmsg(db));
  *json = q.ColumnText(0);
  return Status::Ok();
}

}  // namespace litehouse

// Refresh: new Bronze rows → Silver → Gold by deltas, by the SQL in sql/refresh_*.sql; and the
// check of Gold against its definition, sql/recompute_*.sql.
#include "engine/sqlite_api.h"

#include <chrono>
#include <cstdio>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <utility>
#include <vector>

#include "engine/dq.h"
#include "engine/json_writer.h"
#include "engine/memory_release.h"
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
// A batch at least this large gives freed memory back between its scripts, and its Gold scripts
// run with bounded sorters and helpers (WithBoundedSorters) — a backfill or a Gold rebuild; a
// live batch is far smaller and refreshes too often for that to pay.
constexpr int64_t kLargeBatchRows = 100000;

Status SetWindow(sqlite3* db, int64_t lo, int64_t hi) {
  return Exec(db, "DELETE FROM temp.lh_window; INSERT INTO temp.lh_window VALUES (" + std::to_string(lo) + ", " +
                      std::to_string(hi) + ")");
}

// Gold and the state its delta refresh keeps: rebuilt together, checked together.
const char* const kGoldTables[] = {"gold_hourly_stats",  "gold_kpi_5min",       "gold_user_risk",
                                   "gold_trending_pages", "gold_daily_summary", "lh_gold_window_editors",
                                   "lh_gold_hour_users",  "lh_gold_user_days",  "lh_gold_windows",
                                   "lh_gold_days"};

// SQLite lets each sorter hold as much memory as the page cache may (cache_size): a large batch's
// Gold scripts run GROUP BYs over millions of rows, two sorters at a time, and on a 64 MiB cache
// that made a 5M backfill peak at 307 MB (166 MB with this). Those scripts run with a page cache
// of at most kLargeBatchCacheKiB (so sorters spill to temp files sooner), and give freed memory
// back between them; the connection's own settings are restored after.
constexpr int64_t kLargeBatchCacheKiB = 24 * 1024;
// They also let a sorter hand its full buffers to helper threads (PRAGMA threads), which sort
// and merge them on the second core while the statement goes on reading: nothing else runs
// there during Gold (the payload prefetcher works in the Silver step). 1M batch, two alternated
// pairs (LITEHOUSE_TRACE=1): Gold's scripts 18.9 / 20.2 s without helpers, 18.2 / 16.8 s with
// two, for ~47 MB more peak RSS (58 MB at 5M: a helper holds a buffer of up to the cache size).
constexpr int kLargeBatchSorterThreads = 2;

// Runs `work` (statements that sort millions of rows: a large batch's Gold scripts, the rebuild of
// Silver's indexes) with the bounded cache and the helpers.
Status WithBoundedSorters(sqlite3* db, const std::function<Status()>& work) {
  int64_t cache = 0, page_size = 0, threads = 0;
  Status s = QueryInt(db, "PRAGMA main.cache_size", &cache);
  if (s.ok()) s = QueryInt(db, "PRAGMA main.page_size", &page_size);
  if (s.ok()) s = QueryInt(db, "PRAGMA threads", &threads);
  if (!s.ok()) return s;
  const int64_t cache_kib = cache < 0 ? -cache : cache * page_size / 1024;
  s = Exec(db, "PRAGMA threads = " + std::to_string(kLargeBatchSorterThreads));
  if (s.ok() && cache_kib > kLargeBatchCacheKiB) {
    s = Exec(db, "PRAGMA main.cache_size = " + std::to_string(-kLargeBatchCacheKiB));
  }
  if (s.ok()) s = work();
  Status restored = Exec(db, "PRAGMA main.cache_size = " + std::to_string(cache) +
                                 "; PRAGMA threads = " + std::to_string(threads));
  return s.ok() ? restored : s;
}

// A batch at least as large as Silver so far (a backfill, a first ingest) is written to Silver
// without Silver's indexes, which are built again after its last step: one sort (on the second
// core, with the sorter's helpers) and a sequential write, instead of an insert at a random place
// of each index per row. Refresh of 1M Bronze rows, three alternated pairs: 20.5 → 19.0 s
// (median); of 5M, one pair: 156.4 → 123.3 s; the page index 83 → 74 MB at 1M (its pages full).
// Any index on Silver's table (silver_events_stored) but a partial one (kept: see DropIfLarge)
// is rebuilt from its own CREATE statement, so an analyst's index comes back too. Readers keep
// them meanwhile: the drop is inside the refresh's transaction.
class DeferredSilverIndexes {
 public:
  // Drops Silver's indexes (not the partial ones) when `rows` new Bronze rows are at least as
  // many as Silver holds.
  Status DropIfLarge(sqlite3* db, int64_t rows) {
    int64_t silver_rows = 0;
    Status s = QueryInt(db, "SELECT row_count FROM lh_layer_state WHERE layer = 'silver'", &silver_rows);
    if (!s.ok() || rows < silver_rows || rows == 0) return s;
    std::vector<std::string> drops;
    {
      internal::Stmt q;
      // A partial index stays: it takes only its own rows (silver_large_deletions: ~0.5%), while
      // building it again reads all of Silver (0.4 s at 1M rows, 1.9 s at 5M).
      s = q.Prepare(db, "SELECT format('DROP INDEX main.\"%w\"', s.name), s.sql FROM main.sqlite_schema AS s "
                        "JOIN pragma_index_list('silver_events_stored', 'main') AS l ON l.name = s.name "
                        "WHERE s.type = 'index' AND s.tbl_name = 'silver_events_stored' AND s.sql IS NOT NULL "
                        "AND NOT l.partial ORDER BY s.name");
      if (!s.ok()) return s;
      while (q.Step() == SQLITE_ROW) {
        drops.push_back(q.ColumnText(0));
        create_.push_back(q.ColumnText(1));
      }
    }
    for (const std::string& drop : drops) {
      s = Exec(db, drop);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
  // Builds again what DropIfLarge dropped.
  Status Rebuild(sqlite3* db) {
    if (create_.empty()) return Status::Ok();
    Status s = WithBoundedSorters(db, [&] {
      for (const std::string& sql : create_) {
        Status st = Exec(db, sql);
        if (!st.ok()) return st;
      }
      return Status::Ok();
    });
    create_.clear();
    return s;
  }

 private:
  std::vector<std::string> create_;
};

// The version of Gold's definitions and state. A database whose Gold was built by another version
// (or before there was one) rebuilds Gold from Silver at its next refresh. Bump it when a change
// to sql/refresh_3* or sql/recompute_* changes what Gold or its state hold.
constexpr int64_t kGoldModel = 7;

Status ClearGold(sqlite3* db) {
  for (const char* table : kGoldTables) {
    Status s = Exec(db, std::string("DELETE FROM main.") + table);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

namespace internal {

Status RunScripts(sqlite3* db, const char* prefix, bool release_memory) {
  size_t n = std::strlen(prefix);
  for (int i = 0; i < internal::kSqlScriptCount; ++i) {
    const internal::SqlScript& script = internal::kSqlScripts[i];
    if (std::strncmp(script.name, prefix, n) != 0) continue;
    if (release_memory) ReleaseFreeMemory();
    // LITEHOUSE_TRACE=1 prints how long each model takes (for profiling refreshes); =2 also each
    // of its statements that takes over 10 ms.
    static const char* trace_level = std::getenv("LITEHOUSE_TRACE");
    static const bool trace = trace_level != nullptr;
    if (trace && std::strcmp(trace_level, "2") == 0) {
      sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, [](unsigned, void*, void* stmt, void* ns) {
        const double ms = static_cast<double>(*static_cast<sqlite3_int64*>(ns)) / 1e6;
        if (ms >= 10) {
          std::fprintf(stderr, "trace:   %8.1f ms  %.160s\n", ms, sqlite3_sql(static_cast<sqlite3_stmt*>(stmt)));
        }
        return 0;
      }, nullptr);
    }
    const auto started = std::chrono::steady_clock::now();
    Status s = Exec(db, script.text);
    if (!s.ok()) return Status::SqlError(std::string("sql/") + script.name + ".sql: " + s.message());
    if (trace) {
      // SQLite's own peak heap during the script (sorters, page caches), then reset, so the
      // script that holds memory shows up by name.
      sqlite3_int64 heap_now = 0, heap_peak = 0;
      sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &heap_now, &heap_peak, 1);
      std::fprintf(stderr, "trace: sql/%s.sql %.3f s, sqlite heap peak %.1f MiB\n", script.name,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                   static_cast<double>(heap_peak) / (1 << 20));
    }
  }
  return Status::Ok();
}

}  // namespace internal

std::string RefreshStats::ToJson() const {
  return internal::JsonObjectWriter()
      .Add("bronze_rows", bronze_rows)
      .Add("silver_rows", silver_rows)
      .Add("silver_rejects", silver_rejects)
      .Add("touched_hours", touched_hours)
      .Add("dq_checks", dq_checks)
      .Add("dq_failed", dq_failed)
      .Add("dq_warned", dq_warned)
      .Add("held_batches", held_batches)
      .Add("released_batches", released_batches)
      .Add("seconds", seconds)
      .Finish();
}

namespace {

// Silver rows a profile covers at least: a live refresh of a few events is profiled together
// with the ones after it.
constexpr int64_t kProfileMinRows = 1000;

// One batch, Bronze rows (from, to], through the gates, inside a savepoint: Silver, the bronze
// and silver rules (and a profile), Gold, the gold rules. A blocking FAIL or ERROR rolls the
// batch back — its rows stay in Bronze only — and lists it in dq_held_batches; the results and
// alerts are written after the rollback so they stay. `rebuild` clears Gold first and counts
// all of Silver into it.
Status RunBatch(sqlite3* db, int64_t from, int64_t to, bool rebuild, bool was_held, int64_t dq_version,
                RefreshStats* stats) {
  using internal::RunScripts;
  Status s = Exec(db, "SAVEPOINT lh_batch");
  if (!s.ok()) return s;
  auto abandon = [&](Status st) {
    Exec(db, "ROLLBACK TO lh_batch; RELEASE lh_batch").ok();
    return st;
  };
  if (rebuild) {
    s = ClearGold(db);
    if (s.ok()) s = Exec(db, "UPDATE lh_layer_state SET row_count = 0 WHERE layer = 'gold'");
    if (s.ok()) {
      s = Exec(db, "INSERT OR REPLACE INTO lh_state (key, value) VALUES ('gold_model', " +
                       std::to_string(kGoldModel) + ")");
    }
    if (!s.ok()) return abandon(s);
  }
  // Silver in steps (bounded statements); Gold then takes the whole batch at once — all of Silver
  // when it is rebuilt, however few rows are new.
  const bool large = to - from >= kLargeBatchRows;
  const bool large_gold = to - (rebuild ? 0 : from) >= kLargeBatchRows;
  RefreshStats batch;
  DeferredSilverIndexes indexes;
  s = indexes.DropIfLarge(db, to - from);
  if (!s.ok()) return abandon(s);
  for (int64_t lo = from; lo < to;) {
    int64_t hi = std::min(to, lo + kRowsPerStep);
    s = SetWindow(db, lo, hi);
    if (s.ok()) s = RunScripts(db, "refresh_1", large);  // Silver, its rejects, the watermark
    if (!s.ok()) return abandon(s);
    lo = hi;
  }
  s = indexes.Rebuild(db);
  if (!s.ok()) return abandon(s);
  s = Exec(db, "DELETE FROM temp.lh_batch; INSERT INTO temp.lh_batch VALUES (" + std::to_string(from) + ", " +
                   std::to_string(to) + ", " + std::to_string(rebuild ? 0 : from) + ")");
  // The batch's counts are the data-quality statistics' (one pass over each layer's rows, which
  // the rules need anyway; counting them apart cost ~0.5 s of a 1M refresh).
  if (s.ok()) s = RunScripts(db, "dq_00");
  if (s.ok()) {
    internal::Stmt counts;
    s = counts.Prepare(db, "SELECT bronze_rows, silver_rows, rejects FROM temp.dq_batch_stats");
    if (s.ok() && counts.Step() != SQLITE_ROW) s = Status::SqlError(sqlite3_errmsg(db));
    if (s.ok()) {
      batch.bronze_rows = static_cast<uint64_t>(counts.ColumnInt(0));
      batch.silver_rows = static_cast<uint64_t>(counts.ColumnInt(1));
      batch.silver_rejects = static_cast<uint64_t>(counts.ColumnInt(2));
    }
  }
  if (s.ok()) s = RunScripts(db, "refresh_20");  // Silver's counters, from those statistics
  if (!s.ok()) return abandon(s);

  const bool check = batch.bronze_rows > 0;
  int64_t run_id = 0;
  std::vector<internal::DqCheck> checks;
  auto blocked = [&] {
    for (const auto& c : checks) {
      if (c.Blocks()) return &c;
    }
    return static_cast<const internal::DqCheck*>(nullptr);
  };
  if (check) {
    s = internal::NextDqRun(db, &run_id);
    // Profile what Silver gained since the last profile, once it is enough rows to say something.
    int64_t profiled_to = 0, pending = 0;
    if (s.ok()) {
      s = QueryInt(db, "SELECT coalesce((SELECT value FROM lh_state WHERE key = 'dq_profiled_to'), 0)", &profiled_to);
    }
    if (s.ok() && to > profiled_to) {
      // (counting stops at kProfileMinRows: a backfill's batch need not be counted whole)
      s = QueryInt(db, "SELECT count(*) FROM (SELECT 1 FROM silver_events_stored WHERE bronze_id > " +
                           std::to_string(profiled_to) + " AND bronze_id <= " + std::to_string(to) + " LIMIT " +
                           std::to_string(kProfileMinRows) + ")", &pending);
      if (s.ok() && pending >= kProfileMinRows) {
        s = internal::ProfileSilver(db, run_id, profiled_to, to);
        if (s.ok()) {
          s = Exec(db, "INSERT OR REPLACE INTO lh_state (key, value) VALUES ('dq_profiled_to', " + std::to_string(to) + ")");
        }
      }
    }
    if (s.ok()) s = internal::EvaluateRules(db, "bronze", /*audit=*/false, &checks);
    if (s.ok()) s = internal::EvaluateRules(db, "silver", /*audit=*/false, &checks);
    if (!s.ok()) return abandon(s);
  }
  if (!blocked()) {
    int64_t n = 0;
    s = large_gold ? WithBoundedSorters(db, [&] { return RunScripts(db, "refresh_3", /*release_memory=*/true); })
                   : RunScripts(db, "refresh_3");  // Gold
    if (s.ok()) s = RunScripts(db, "refresh_9");
    if (s.ok()) s = QueryInt(db, "SELECT count(*) FROM temp.lh_delta_hours", &n);
    batch.touched_hours = static_cast<uint64_t>(n);
    if (s.ok() && check) {
      s = RunScripts(db, "dq_20");
      if (s.ok()) s = internal::EvaluateRules(db, "gold", /*audit=*/false, &checks);
    }
    if (!s.ok()) return abandon(s);
  }

  const internal::DqCheck* blocker = blocked();
  if (blocker) {
    // Back to Bronze. The watermark still moves past the batch: it is decided, and held.
    const std::string rows = std::to_string(batch.bronze_rows);
    s = Exec(db, "ROLLBACK TO lh_batch");
    if (s.ok()) {
      s = Exec(db, "UPDATE lh_state SET value = max(value, " + std::to_string(to) + ") WHERE key = 'silver_watermark'");
    }
    if (s.ok()) {  // the run keeps its id: its results are written below
      s = Exec(db, "UPDATE lh_state SET value = max(value, " + std::to_string(run_id) + ") WHERE key = 'dq_run'");
    }
    if (s.ok()) {
      internal::Stmt held;
      s = held.Prepare(db,
                       "INSERT INTO dq_held_batches (batch_from, batch_to, bronze_rows, layer, rule, run_id, held_at, "
                       "last_checked_at, checks, checked_version) VALUES (?, ?, ?, ?, ?, ?, "
                       "strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'), 1, ?) "
                       "ON CONFLICT (batch_from) DO UPDATE SET layer = excluded.layer, rule = excluded.rule, "
                       "run_id = excluded.run_id, last_checked_at = excluded.last_checked_at, checks = checks + 1, "
                       "checked_version = excluded.checked_version");
      if (s.ok()) {
        held.BindInt(1, from);
        held.BindInt(2, to);
        held.BindInt(3, static_cast<int64_t>(batch.bronze_rows));
        held.BindText(4, blocker->layer);
        held.BindText(5, blocker->rule);
        held.BindInt(6, run_id);
        held.BindInt(7, dq_version);
        if (held.Step() != SQLITE_DONE) s = Status::SqlError(sqlite3_errmsg(db));
      }
    }
    if (!s.ok()) return abandon(s);
    stats->held_batches += 1;
    stats->dq_lines.push_back("held: batch " + std::to_string(from) + ".." + std::to_string(to) + " (" + rows +
                              " Bronze rows) stays in Bronze: " + blocker->layer + " rule " + blocker->rule + " " +
                              blocker->status);
  } else {
    if (was_held) {
      s = Exec(db, "DELETE FROM dq_held_batches WHERE batch_from = " + std::to_string(from));
      if (!s.ok()) return abandon(s);
      stats->released_batches += 1;
      stats->dq_lines.push_back("released: batch " + std::to_string(from) + ".." + std::to_string(to) +
                                " passed its checks and reached Silver and Gold");
    }
    stats->bronze_rows += batch.bronze_rows;
    stats->silver_rows += batch.silver_rows;
    stats->silver_rejects += batch.silver_rejects;
    stats->touched_hours += batch.touched_hours;
  }
  s = Exec(db, "RELEASE lh_batch");
  if (!s.ok()) return s;
  if (!check) return Status::Ok();
  QualitySummary summary;
  s = internal::RecordChecks(db, run_id, from, to, checks, &summary);
  if (!s.ok()) return s;
  stats->dq_checks += summary.passed + summary.warned + summary.failed + summary.errors;
  stats->dq_failed += summary.failed + summary.errors;
  stats->dq_warned += summary.warned;
  for (auto& line : summary.lines) stats->dq_lines.push_back(std::move(line));
  return Status::Ok();
}

}  // namespace

Status Refresh(sqlite3* db, RefreshStats* stats) {
  const auto started = std::chrono::steady_clock::now();
  RefreshStats unused;  // the caller may not want them
  if (stats == nullptr) stats = &unused;
  *stats = RefreshStats();
  Status s = EnsureSchema(db);
  if (!s.ok()) return s;
  s = Exec(db, internal::kWriterPragmas);
  if (!s.ok()) return s;
  internal::Transaction txn(db);
  s = txn.Begin();
  if (!s.ok()) return s;
  int64_t watermark = 0, top = 0, gold_model = 0, dq_version = 0;
  s = QueryInt(db, "SELECT value FROM lh_state WHERE key = 'silver_watermark'", &watermark);
  if (s.ok()) s = QueryInt(db, "SELECT coalesce(max(bronze_id), 0) FROM bronze_events", &top);
  if (s.ok()) s = QueryInt(db, "SELECT coalesce((SELECT value FROM lh_state WHERE key = 'gold_model'), 0)", &gold_model);
  if (s.ok()) s = QueryInt(db, "SELECT value FROM lh_state WHERE key = 'dq_version'", &dq_version);
  if (s.ok()) s = internal::RunScripts(db, "refresh_0");  // temp views and tables
  if (!s.ok()) return s;

  // Held batches first, when the rules or Bronze changed since they were last checked.
  std::vector<std::pair<int64_t, int64_t>> held;
  {
    internal::Stmt q;
    s = q.Prepare(db, "SELECT batch_from, batch_to FROM dq_held_batches WHERE checked_version <> ? ORDER BY batch_from");
    if (!s.ok()) return s;
    q.BindInt(1, dq_version);
    while (q.Step() == SQLITE_ROW) held.emplace_back(q.ColumnInt(0), q.ColumnInt(1));
  }
  for (const auto& [from, to] : held) {
    s = RunBatch(db, from, to, /*rebuild=*/false, /*was_held=*/true, dq_version, stats);
    if (!s.ok()) return s;
  }
  // Then the new rows. A Gold of another model starts again from nothing and counts all of Silver.
  const bool rebuild = gold_model != kGoldModel;
  if (watermark < top || rebuild) {
    s = RunBatch(db, watermark, top, rebuild, /*was_held=*/false, dq_version, stats);
    if (!s.ok()) return s;
  } else if (held.empty()) {
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
  if (s.ok()) s = internal::RunScripts(db, "refresh_0");
  if (s.ok()) s = internal::RunScripts(db, "recompute_");
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

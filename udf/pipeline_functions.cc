// The pipeline from plain SQL, so the stock sqlite3 CLI with `.load` can do what the shell does.
//
//   SELECT lh_init();              creates the schema (WAL mode); returns 'ok'
//   SELECT lh_ingest('x.jsonl.zst' [, 'source name']);
//                                  ingests a file into Bronze, then refreshes Silver and Gold;
//                                  returns JSON: {"ingest": {...}, "refresh": {...}}
//   SELECT lh_refresh();           refreshes Silver and Gold; returns JSON stats
//   SELECT lh_stats();             JSON: rows per layer, rejects, sources, database bytes
//   SELECT lh_check_gold();        number of Gold rows that differ from a full recomputation
//                                  (0 means incremental Gold is right)
//   SELECT lh_dq_run();            runs every enabled data-quality rule over everything (as
//                                  `litehouse dq`); returns JSON {run_id, passed, warned, failed,
//                                  errors, held_batches}; the rows are in dq_results
// They run their own transactions, so they fail inside an open transaction. lh_ingest reads
// files: it is SQLITE_DIRECTONLY (not usable from triggers or views of an untrusted schema).
#include <string>

#include "litehouse/pipeline.h"
#include "litehouse/quality.h"
#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

sqlite3* Db(sqlite3_context* ctx) { return sqlite3_context_db_handle(ctx); }

void InitFn(sqlite3_context* ctx, int, sqlite3_value**) {
  Guard(ctx, [&] {
    Status s = EnsureSchema(Db(ctx));
    if (!s.ok()) return ResultError(ctx, "lh_init: " + s.message());
    sqlite3_result_text(ctx, "ok", -1, SQLITE_STATIC);
  });
}

void IngestFn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return ResultError(ctx, "lh_ingest: the file name is NULL");
    IngestOptions options;
    if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL) options.source_name = ArgText(argv[1]);
    IngestStats ingest;
    Status s = IngestFile(Db(ctx), std::string(ArgText(argv[0])), options, &ingest);
    // Refreshed even after an error, as Database::Ingest does: a damaged file's events before the
    // damage are committed, and reach Silver and Gold; then the error is reported.
    RefreshStats refresh;
    Status r = Refresh(Db(ctx), &refresh);
    if (!s.ok()) {
      return ResultError(ctx, "lh_ingest: " + s.message() +
                                  (ingest.documents > 0 ? " (the " + std::to_string(ingest.documents) +
                                                              " events before it were kept)"
                                                        : ""));
    }
    if (!r.ok()) return ResultError(ctx, "lh_ingest: refresh: " + r.message());
    ResultText(ctx, "{\"ingest\":" + ingest.ToJson() + ",\"refresh\":" + refresh.ToJson() + "}");
  });
}

void RefreshFn(sqlite3_context* ctx, int, sqlite3_value**) {
  Guard(ctx, [&] {
    RefreshStats refresh;
    Status s = Refresh(Db(ctx), &refresh);
    if (!s.ok()) return ResultError(ctx, "lh_refresh: " + s.message());
    ResultText(ctx, refresh.ToJson());
  });
}

void StatsFn(sqlite3_context* ctx, int, sqlite3_value**) {
  Guard(ctx, [&] {
    std::string json;
    Status s = PipelineStats(Db(ctx), &json);
    if (!s.ok()) return ResultError(ctx, "lh_stats: " + s.message());
    ResultText(ctx, json);
  });
}

void CheckGoldFn(sqlite3_context* ctx, int, sqlite3_value**) {
  Guard(ctx, [&] {
    uint64_t differences = 0;
    Status s = CheckGoldAgainstRecompute(Db(ctx), &differences);
    if (!s.ok()) return ResultError(ctx, "lh_check_gold: " + s.message());
    sqlite3_result_int64(ctx, static_cast<int64_t>(differences));
  });
}

void DqRunFn(sqlite3_context* ctx, int, sqlite3_value**) {
  Guard(ctx, [&] {
    QualitySummary summary;
    Status s = RunQualityChecks(Db(ctx), &summary);
    if (!s.ok()) return ResultError(ctx, "lh_dq_run: " + s.message());
    ResultText(ctx, summary.ToJson());
  });
}

}  // namespace

void RegisterPipelineFunctions(Registrar* r) {
  AddFunction(r, {"lh_init"}, 0, SQLITE_DIRECTONLY, nullptr, InitFn);
  AddFunction(r, {"lh_ingest"}, 1, SQLITE_DIRECTONLY, nullptr, IngestFn);
  AddFunction(r, {"lh_ingest"}, 2, SQLITE_DIRECTONLY, nullptr, IngestFn);
  AddFunction(r, {"lh_refresh"}, 0, SQLITE_DIRECTONLY, nullptr, RefreshFn);
  AddFunction(r, {"lh_stats"}, 0, SQLITE_DIRECTONLY, nullptr, StatsFn);
  AddFunction(r, {"lh_dq_run"}, 0, SQLITE_DIRECTONLY, nullptr, DqRunFn);
  AddFunction(r, {"lh_check_gold"}, 0, SQLITE_DIRECTONLY, nullptr, CheckGoldFn);
}

}  // namespace litehouse::udf

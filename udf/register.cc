// The one entry point that registers every litehouse SQL function and virtual table. The
// loadable extension, the library (Database::Open) and the shell all call RegisterSql, so each
// face offers exactly the same SQL. Families, one file each:
//   info      litehouse_version, litehouse_debug                      udf/info_functions.cc
//   json      lh_json_extract (lh_extract), lh_raw (bronze_json)      udf/json_functions.cc
//   zstd      zstd_compress, zstd_decompress                          udf/zstd_functions.cc
//   wiki      wiki_project, wiki_language, wiki_region, is_ip         udf/wiki_functions.cc
//   pipeline  lh_init, lh_ingest, lh_refresh, lh_stats, lh_check_gold,
//             lh_dq_run                                               udf/pipeline_functions.cc
//   tables    read_events(path), bronze_parsed(lo, hi),
//             bronze_field, bronze_fields                             udf/*_vtab.cc
//   stats     lh_approx_distinct (aggregate)                          udf/stats_functions.cc
//   event ids event_id_code                                           udf/event_id_functions.cc
#include "build_info.h"
#include "litehouse/sql.h"
#include "udf/udf_util.h"

namespace litehouse {
namespace udf {

void AddFunction(Registrar* r, std::initializer_list<const char*> names, int n_args, int flags, void* user_data,
                 void (*fn)(sqlite3_context*, int, sqlite3_value**), void (*destroy)(void*)) {
  bool first = true;
  for (const char* name : names) {
    if (r->rc != SQLITE_OK) return;
    // Only the first registration owns user_data (it is destroyed once).
    int rc = sqlite3_create_function_v2(r->db, name, n_args, SQLITE_UTF8 | flags, user_data, fn, nullptr, nullptr,
                                        first ? destroy : nullptr);
    first = false;
    if (rc != SQLITE_OK) {
      r->rc = rc;
      r->error = std::string("cannot register ") + name + ": " + sqlite3_errmsg(r->db);
    }
  }
}

}  // namespace udf

int RegisterSql(sqlite3* db, std::string* error_message) {
  udf::Registrar r{db, SQLITE_OK, {}};
  udf::RegisterInfoFunctions(&r);
  udf::RegisterJsonFunctions(&r);
  udf::RegisterZstdFunctions(&r);
  udf::RegisterWikiFunctions(&r);
  udf::RegisterPipelineFunctions(&r);
  udf::RegisterReadEvents(&r);
  udf::RegisterBronzeParsed(&r);
  udf::RegisterStatsFunctions(&r);
  udf::RegisterEventIdFunctions(&r);
  if (r.rc != SQLITE_OK && error_message) *error_message = r.error;
  return r.rc;
}

std::vector<std::string> RegisteredSqlNames() {
  return {"litehouse_version", "litehouse_debug", "lh_json_extract", "lh_extract", "lh_raw", "bronze_json",
          "zstd_compress", "zstd_decompress", "wiki_project", "wiki_language", "wiki_region", "is_ip",
          "lh_init", "lh_ingest", "lh_refresh", "lh_stats", "lh_check_gold", "lh_dq_run", "read_events",
          "bronze_parsed", "bronze_field", "bronze_fields", "lh_approx_distinct", "event_id_code"};
}

const char* Version() { return LITEHOUSE_VERSION_STRING; }

}  // namespace litehouse

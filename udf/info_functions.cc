// litehouse_version() → '0.1.0'
// litehouse_debug()   → version, commit, SQLite, simdjson, zstd, zlib and build flags, one line each.
#include <simdjson.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <string>

#include "build_info.h"
#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

void VersionFn(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_text(ctx, LITEHOUSE_VERSION_STRING, -1, SQLITE_STATIC);
}

void DebugFn(sqlite3_context* ctx, int, sqlite3_value**) {
  Guard(ctx, [&] {
    std::string s = std::string("litehouse ") + LITEHOUSE_VERSION_STRING + "\ncommit " + LITEHOUSE_COMMIT +
                    "\nsqlite " + sqlite3_libversion() + "\nsimdjson " + SIMDJSON_STRINGIFY(SIMDJSON_VERSION) + " (" +
                    simdjson::get_active_implementation()->name() + ")\nzstd " + ZSTD_versionString() +
                    "\nzlib " + zlibVersion() + "\nbuild " + LITEHOUSE_BUILD_TYPE + ", " +
                    LITEHOUSE_COMPILER + ", sanitizers " + LITEHOUSE_SANITIZE_STRING;
    // SQLite counts its heap only with SQLITE_CONFIG_MEMSTATUS on (the litehouse program turns it
    // off unless LITEHOUSE_TRACE is set: the count costs a global mutex per allocation).
    sqlite3_int64 used = 0, peak = 0;
    sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &peak, 0);
    char heap[96];
    if (used > 0) {
      std::snprintf(heap, sizeof heap, "\nsqlite heap %.1f MiB in use, %.1f MiB peak", used / 1048576.0, peak / 1048576.0);
    } else {
      std::snprintf(heap, sizeof heap, "\nsqlite heap not counted (SQLITE_CONFIG_MEMSTATUS off)");
    }
    s += heap;
#ifdef LITEHOUSE_EXTENSION
    s += "\nloaded as extension";
#else
    s += "\nlinked as library";
#endif
    ResultText(ctx, s);
  });
}

}  // namespace

void RegisterInfoFunctions(Registrar* r) {
  AddFunction(r, {"litehouse_version"}, 0, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr, VersionFn);
  AddFunction(r, {"litehouse_debug"}, 0, SQLITE_INNOCUOUS, nullptr, DebugFn);
}

}  // namespace litehouse::udf

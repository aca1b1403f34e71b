// The SQL files of sql/, embedded at build time by cmake/embed_sql.cmake.
#pragma once

#include <string_view>

#include "engine/sqlite_api.h"
#include "litehouse/status.h"

namespace litehouse::internal {

struct SqlScript {
  const char* name;  // file name without ".sql"
  const char* text;
};
extern const SqlScript kSqlScripts[];
extern const int kSqlScriptCount;

// The text of sql/<name>.sql; empty if there is no such file.
inline std::string_view SqlScriptText(std::string_view name) {
  for (int i = 0; i < kSqlScriptCount; ++i) {
    if (name == kSqlScripts[i].name) return kSqlScripts[i].text;
  }
  return {};
}

// Runs every embedded script whose name starts with `prefix`, in name order (engine/refresh.cc).
// LITEHOUSE_TRACE=1 prints how long each takes and SQLite's peak heap during it.
// `release_memory`: give freed memory back to the OS before each script (engine/memory_release.h);
// for large batches, whose scripts each take and free tens of MB.
Status RunScripts(sqlite3* db, const char* prefix, bool release_memory = false);

}  // namespace litehouse::internal

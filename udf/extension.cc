// The loadable extension's entry point: `.load ./litehouse` (sqlite3 CLI) or
// conn.load_extension("./litehouse") (Python) call sqlite3_litehouse_init.
#include <string>

#include "engine/sqlite_api.h"
#include "litehouse/sql.h"

SQLITE_EXTENSION_INIT1

extern "C" __attribute__((visibility("default"))) int sqlite3_litehouse_init(sqlite3* db, char** error_message,
                                                                             const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  std::string error;
  int rc = litehouse::RegisterSql(db, &error);
  if (rc != SQLITE_OK && error_message) *error_message = sqlite3_mprintf("%s", error.c_str());
  return rc;
}

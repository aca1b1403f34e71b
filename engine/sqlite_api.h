// Every litehouse source includes SQLite through this header. Built into the loadable extension
// (LITEHOUSE_EXTENSION), SQLite's functions are called through the sqlite3_api table the host
// hands to sqlite3_litehouse_init, so the extension works in any program, even one that links
// its own copy of SQLite; built into the library, they are called directly.
#pragma once

#ifdef LITEHOUSE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

// Registration of every litehouse SQL function and virtual table on a connection.
//
// The loadable extension (sqlite3_litehouse_init), the library and the shell all call this one
// function, so they offer exactly the same SQL.
#pragma once

#include <string>
#include <vector>

struct sqlite3;

namespace litehouse {

// Returns SQLITE_OK or an SQLite error code; on error *error_message (if given) says why.
int RegisterSql(sqlite3* db, std::string* error_message = nullptr);

// The names of every SQL function and module RegisterSql installs (tests check that the list is
// complete and that each name has a SQL test).
std::vector<std::string> RegisteredSqlNames();

// "0.1.0"
const char* Version();

}  // namespace litehouse

// Every registered SQL function and module must appear in some SQL test file, and
// RegisteredSqlNames() must name every one RegisterSql installs (it is the list the first test
// walks).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "litehouse/sql.h"

namespace litehouse {
namespace {

TEST(SqlCoverage, EveryFunctionAndModuleHasASqlTest) {
  std::string all;
  for (const auto& entry : std::filesystem::directory_iterator(LITEHOUSE_SQL_TEST_DIR)) {
    std::ifstream in(entry.path());
    std::stringstream s;
    s << in.rdbuf();
    all += s.str();
  }
  ASSERT_FALSE(all.empty());
  for (const std::string& name : RegisteredSqlNames()) {
    EXPECT_NE(all.find(name + "("), std::string::npos) << name << " has no test in tests/sql/";
  }
}

// The functions and modules a connection offers, as SQLite lists them.
std::set<std::string> SqlNames(sqlite3* db) {
  std::set<std::string> names;
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name FROM pragma_function_list UNION SELECT name FROM pragma_module_list",
                               -1, &st, nullptr),
            SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) names.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  return names;
}

TEST(SqlCoverage, RegisteredSqlNamesAreWhatRegisterSqlInstalls) {
  sqlite3* plain = nullptr;
  sqlite3* registered = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &plain), SQLITE_OK);
  ASSERT_EQ(sqlite3_open(":memory:", &registered), SQLITE_OK);
  ASSERT_EQ(RegisterSql(registered), SQLITE_OK);
  const std::set<std::string> before = SqlNames(plain);
  std::set<std::string> added;
  for (const std::string& name : SqlNames(registered)) {
    if (!before.count(name)) added.insert(name);
  }
  const std::vector<std::string> listed = RegisteredSqlNames();
  EXPECT_EQ(added, std::set<std::string>(listed.begin(), listed.end()));
  EXPECT_GT(added.size(), 20u);
  sqlite3_close(plain);
  sqlite3_close(registered);
}

}  // namespace
}  // namespace litehouse

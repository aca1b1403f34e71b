// Every registered SQL function and module must appear in some SQL test file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
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

}  // namespace
}  // namespace litehouse

// A test fixture with a directory of its own (removed after the test) and the helpers the
// ingestion tests share: open a database there, write a file there, read one value by SQL.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "litehouse/litehouse.h"

namespace litehouse::testing {

class TestDirFixture : public ::testing::Test {
 protected:
  explicit TestDirFixture(std::string prefix) : prefix_(std::move(prefix)) {}
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Database> Open(const std::string& name = "t.db") {
    std::unique_ptr<Database> db;
    Status s = Database::Open((dir_ / name).string(), &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return db;
  }
  // Writes (or overwrites) a file in the test's directory; returns its path.
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    return path;
  }
  // The first column of the first row, as text ("" when there is none).
  std::string Scalar(Database* db, const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    Status s = db->Query(sql, &rows);
    EXPECT_TRUE(s.ok()) << s.ToString() << " in " << sql;
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }

  std::filesystem::path dir_;

 private:
  std::string prefix_;
};

}  // namespace litehouse::testing

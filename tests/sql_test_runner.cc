// Runs a SQL test file (DuckDB sqllogictest style) against a fresh in-memory database with every
// litehouse function registered.
//
//   # a comment
//   statement ok
//   SQL (one or more statements; the record ends at a blank line)
//
//   statement error MESSAGE-SUBSTRING
//   SQL
//
//   query
//   SQL (one statement)
//   ----
//   expected rows, columns joined by '|', NULL for NULL
//
// ${DATA} in SQL or expected text is replaced by the real recordings' directory
// (LITEHOUSE_DATA), ${TMP} by a fresh temporary directory.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "litehouse/sql.h"

namespace {

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

struct Record {
  std::string kind;  // "ok", "error", "query"
  std::string error_substring;
  std::string sql;
  std::vector<std::string> expected;
  int line = 0;
};

std::vector<Record> Parse(std::istream& in) {
  std::vector<Record> records;
  std::string line;
  int n = 0;
  Record* cur = nullptr;
  bool in_expected = false;
  while (std::getline(in, line)) {
    ++n;
    if (!cur) {
      if (line.empty() || line[0] == '#') continue;
      records.emplace_back();
      cur = &records.back();
      cur->line = n;
      in_expected = false;
      if (line == "statement ok") cur->kind = "ok";
      else if (line.rfind("statement error", 0) == 0) {
        cur->kind = "error";
        cur->error_substring = line.size() > 16 ? line.substr(16) : "";
      } else if (line == "query") cur->kind = "query";
      else {
        std::cerr << "line " << n << ": unknown record '" << line << "'\n";
        std::exit(2);
      }
      continue;
    }
    if (line.empty()) {
      cur = nullptr;
      continue;
    }
    if (cur->kind == "query" && line == "----") {
      in_expected = true;
      continue;
    }
    if (in_expected) cur->expected.push_back(line);
    else cur->sql += line + "\n";
  }
  return records;
}

std::string Cell(sqlite3_stmt* st, int i) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return "NULL";
  const unsigned char* t = sqlite3_column_text(st, i);
  return std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st, i)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sql_test_runner FILE.test\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "cannot open " << argv[1] << "\n";
    return 2;
  }
  const char* data = std::getenv("LITEHOUSE_DATA");
  std::string tmp = (std::filesystem::temp_directory_path() / ("lh_sqltest_" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(tmp);
  sqlite3* db = nullptr;
  sqlite3_open((tmp + "/test.db").c_str(), &db);
  std::string err;
  if (litehouse::RegisterSql(db, &err) != SQLITE_OK) {
    std::cerr << "register: " << err << "\n";
    return 1;
  }
  int failures = 0, passed = 0;
  for (Record& r : Parse(in)) {
    auto subst = [&](std::string s) { return Replace(Replace(s, "${DATA}", data ? data : "."), "${TMP}", tmp); };
    std::string sql = subst(r.sql);
    auto fail = [&](const std::string& why) {
      ++failures;
      std::cerr << argv[1] << ":" << r.line << ": " << why << "\n  SQL: " << sql;
    };
    if (r.kind == "ok" || r.kind == "error") {
      char* msg = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
      std::string m = msg ? msg : "";
      sqlite3_free(msg);
      if (r.kind == "ok" && rc != SQLITE_OK) fail("expected success, got error: " + m);
      else if (r.kind == "error" && rc == SQLITE_OK) fail("expected an error containing '" + r.error_substring + "', got success");
      else if (r.kind == "error" && m.find(subst(r.error_substring)) == std::string::npos)
        fail("expected an error containing '" + r.error_substring + "', got: " + m);
      else ++passed;
      continue;
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      fail(std::string("prepare failed: ") + sqlite3_errmsg(db));
      continue;
    }
    std::vector<std::string> got;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) row += (i ? "|" : "") + Cell(st, i);
      got.push_back(row);
    }
    if (rc != SQLITE_DONE) {
      fail(std::string("query failed: ") + sqlite3_errmsg(db));
      sqlite3_finalize(st);
      continue;
    }
    sqlite3_finalize(st);
    std::vector<std::string> expected;
    for (const auto& e : r.expected) expected.push_back(subst(e));
    if (got != expected) {
      std::ostringstream why;
      why << "result differs\n  expected:\n";
      for (const auto& e : expected) why << "    " << e << "\n";
      why << "  got:\n";
      for (const auto& g : got) why << "    " << g << "\n";
      fail(why.str());
    } else {
      ++passed;
    }
  }
  sqlite3_close(db);
  std::filesystem::remove_all(tmp);
  std::cout << passed << " passed, " << failures << " failed\n";
  return failures == 0 ? 0 : 1;
}

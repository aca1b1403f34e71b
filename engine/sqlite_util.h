// RAII and small helpers around the SQLite C API, shared by the engine, the SQL functions and the
// shell.
#pragma once

#include "engine/sqlite_api.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

#include "litehouse/status.h"

namespace litehouse::internal {

// A prepared statement, finalized on destruction. Prepared once and reused on hot paths.
class Stmt {
 public:
  Stmt() = default;
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    if (this != &o) {
      sqlite3_finalize(stmt_);
      stmt_ = o.stmt_;
      o.stmt_ = nullptr;
    }
    return *this;
  }

  Status Prepare(sqlite3* db, std::string_view sql) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                           nullptr) != SQLITE_OK) {
      return Status::SqlError(std::string(sqlite3_errmsg(db)) + " in: " + std::string(sql.substr(0, 200)));
    }
    return Status::Ok();
  }
  // Takes ownership of a statement prepared elsewhere.
  void Adopt(sqlite3_stmt* stmt) {
    sqlite3_finalize(stmt_);
    stmt_ = stmt;
  }
  sqlite3_stmt* get() const { return stmt_; }
  explicit operator bool() const { return stmt_ != nullptr; }

  void BindText(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  // The caller keeps `v` alive until the statement is stepped and reset.
  void BindTextStatic(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindBlobStatic(int i, const void* p, size_t n) { sqlite3_bind_blob(stmt_, i, p, static_cast<int>(n), SQLITE_STATIC); }
  void BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // SQLITE_ROW / SQLITE_DONE / error code.
  int Step() { return sqlite3_step(stmt_); }
  int64_t ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::string ColumnText(int i) const {
    const unsigned char* t = sqlite3_column_text(stmt_, i);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, i)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// A writer (ingest, refresh) works on B-trees far larger than SQLite's default 2 MB page cache;
// 64 MiB keeps index inserts and the Gold scans off the disk while staying well inside the
// memory budget. (temp_store stays on files: Gold's GROUP BYs sort millions of rows at 5M
// events, and SQLite's sorter spills to temp files, which MEMORY would keep in RAM: 696 MB.)
inline constexpr const char* kWriterPragmas = "PRAGMA cache_size = -65536";

// Runs one or more statements with no results.
inline Status Exec(sqlite3* db, std::string_view sql) {
  std::string copy(sql);
  char* err = nullptr;
  if (sqlite3_exec(db, copy.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    return Status::SqlError(msg);
  }
  return Status::Ok();
}

// The first column of the first row as an integer (0 when there is no row).
inline Status QueryInt(sqlite3* db, std::string_view sql, int64_t* out) {
  Stmt s;
  Status st = s.Prepare(db, sql);
  if (!st.ok()) return st;
  int rc = s.Step();
  if (rc == SQLITE_ROW) {
    *out = s.ColumnInt(0);
  } else if (rc == SQLITE_DONE) {
    *out = 0;
  } else {
    return Status::SqlError(sqlite3_errmsg(db));
  }
  return Status::Ok();
}

// BEGIN IMMEDIATE ... COMMIT, rolled back on destruction unless committed.
//
// Begin waits its turn while another process writes: a refresh of a large batch holds its
// transaction for minutes (1M events: ~40 s), far past the connection's busy timeout (10 s, the
// patience of a person's own statements), and two `litehouse ingest`s of one database must not
// fail because one refreshes. It gives up after kWriterPatience.
class Transaction {
 public:
  static constexpr std::chrono::seconds kWriterPatience{15 * 60};

  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Begin(std::chrono::milliseconds patience = kWriterPatience) {
    const auto give_up = std::chrono::steady_clock::now() + patience;
    for (;;) {
      // (The busy handler, if the connection has one, has waited its timeout when this returns BUSY.)
      const int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
      open_ = rc == SQLITE_OK;
      if (open_) return Status::Ok();
      if ((rc & 0xff) != SQLITE_BUSY) return Status::SqlError(sqlite3_errmsg(db_));
      if (std::chrono::steady_clock::now() >= give_up) {
        char waited[384];  // room for any double, so the compiler sees nothing cut
        std::snprintf(waited, sizeof waited, ": another connection kept writing for %.3f s, this one's patience",
                      patience.count() / 1000.0);
        return Status::SqlError(sqlite3_errmsg(db_) + std::string(waited));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  Status Commit() {
    Status s = Exec(db_, "COMMIT");
    if (s.ok()) open_ = false;
    return s;
  }
  bool open() const { return open_; }

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace litehouse::internal

// Database: an open litehouse file, for C++ programs that link the library.
//
//   std::unique_ptr<litehouse::Database> db;
//   litehouse::Status s = litehouse::Database::Open("wiki.db", &db);
//   if (s.ok()) s = db->Ingest("events.jsonl.zst");
//   std::vector<std::vector<std::string>> rows;
//   if (s.ok()) s = db->Query("SELECT domain, total_events FROM gold_hourly_stats", &rows);
//
// Open registers all litehouse SQL and creates the schema. Thread-safety: one thread at a time
// (the connection is opened without SQLite's own mutexes);
// open one Database per thread (or process) for concurrent readers.
// Speed: SQLite counts its heap under one global mutex per allocation unless the process calls
// sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) before its first SQLite call. That is the
// process's choice, so the library leaves it alone; the litehouse program makes it (a 1M-event
// refresh ~11% faster, bench/README.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "litehouse/pipeline.h"
#include "litehouse/status.h"

struct sqlite3;

namespace litehouse {

class Database {
 public:
  static Status Open(const std::string& path, std::unique_ptr<Database>* out);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Ingests one file into Bronze, then refreshes Silver and Gold (also after an ingest error: a
  // damaged file's events before the damage are kept; the ingest's error is returned).
  Status Ingest(const std::string& path, IngestStats* ingest = nullptr, RefreshStats* refresh = nullptr);
  Status Refresh(RefreshStats* stats = nullptr);
  // Runs one SQL statement with bound text parameters; every value is returned as text ("" for NULL).
  Status Query(const std::string& sql, std::vector<std::vector<std::string>>* rows,
               const std::vector<std::string>& params = {});
  Status Execute(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace litehouse

#include "litehouse/database.h"

#include "engine/sqlite_api.h"

#include "engine/sqlite_util.h"
#include "litehouse/sql.h"

namespace litehouse {

Status Database::Open(const std::string& path, std::unique_ptr<Database>* out) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IoError("cannot open '" + path + "': " + msg);
  }
  std::unique_ptr<Database> holder(new Database(db));
  std::string error;
  if (RegisterSql(db, &error) != SQLITE_OK) return Status::SqlError(error);
  Status s = EnsureSchema(db);
  if (!s.ok()) {
    if (s.message().find("not a database") != std::string::npos) {
      return Status::InvalidArgument("'" + path + "' is not a database (file is not a SQLite database)");
    }
    return s;
  }
  *out = std::move(holder);
  return Status::Ok();
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Ingest(const std::string& path, IngestStats* ingest, RefreshStats* refresh) {
  Status s = IngestFile(db_, path, IngestOptions(), ingest);
  // Refreshed even after an error: what was committed before it (a damaged file's events up to
  // the damage) reaches Silver and Gold, as in the shell; the ingest's error is the one returned.
  Status r = litehouse::Refresh(db_, refresh);
  return s.ok() ? r : s;
}

Status Database::Refresh(RefreshStats* stats) { return litehouse::Refresh(db_, stats); }

Status Database::Execute(const std::string& sql) { return internal::Exec(db_, sql); }

Status Database::Query(const std::string& sql, std::vector<std::vector<std::string>>* rows,
                       const std::vector<std::string>& params) {
  rows->clear();
  internal::Stmt st;
  Status s = st.Prepare(db_, sql);
  if (!s.ok()) return s;
  for (size_t i = 0; i < params.size(); ++i) st.BindText(static_cast<int>(i + 1), params[i]);
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    std::vector<std::string>& row = rows->emplace_back();
    int n = sqlite3_column_count(st.get());
    for (int c = 0; c < n; ++c) row.push_back(st.ColumnText(c));
  }
  if (rc != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db_));
  return Status::Ok();
}

}  // namespace litehouse

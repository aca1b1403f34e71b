// silver_events is a view over silver_events_stored that takes event_id and ingested_at from
// Bronze, project and language from silver_domains and region from ref_language_region
// (sql/schema_20_silver.sql): what it shows must be what a Silver table would hold, it must cost
// nothing to queries that do not read those, and a database whose Silver is still the table it
// was (engine/schema.cc, MigrateSilverTableToView), or whose Silver table still stores its time
// as text with project, language and region, or its domain and type as text
// or its wiki and comment, rc_id, ... (MigrateSilverToCurrentLayout), must come through with its
// rows and indexes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "litehouse/litehouse.h"
#include "test_data.h"

namespace litehouse {
namespace {

namespace fs = std::filesystem;

// Silver as sql/schema_20_silver.sql defined it up to commit 48ba041: a table, and its indexes.
const char* const kSilverTableBefore = R"(
CREATE TABLE silver_events (
  bronze_id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, event_time TEXT NOT NULL,
  event_date TEXT GENERATED ALWAYS AS (substr(event_time, 1, 10)) VIRTUAL,
  event_hour INTEGER GENERATED ALWAYS AS (CAST(substr(event_time, 12, 2) AS INTEGER)) VIRTUAL,
  ingested_at TEXT NOT NULL,
  processing_delay_s REAL GENERATED ALWAYS AS
    (round((julianday(ingested_at) - julianday(event_time)) * 86400.0, 3)) VIRTUAL,
  domain TEXT NOT NULL, wiki TEXT, type TEXT NOT NULL, namespace INTEGER, title TEXT,
  page_url TEXT GENERATED ALWAYS AS ('https://' || domain || '/wiki/' || replace(title, ' ', '_')) VIRTUAL,
  rc_id INTEGER, revision_old INTEGER, revision_new INTEGER, comment TEXT, log_type TEXT, log_action TEXT,
  project TEXT NOT NULL, language TEXT, region TEXT NOT NULL, user_name TEXT, is_bot INTEGER NOT NULL,
  is_anonymous INTEGER NOT NULL, is_temporary INTEGER NOT NULL,
  user_type TEXT GENERATED ALWAYS AS (CASE WHEN is_bot THEN 'BOT' WHEN is_anonymous THEN 'ANONYMOUS'
                                      WHEN is_temporary THEN 'TEMPORARY' ELSE 'REGISTERED' END) VIRTUAL,
  is_minor INTEGER, is_patrolled INTEGER, length_old INTEGER, length_new INTEGER,
  length_delta INTEGER GENERATED ALWAYS AS (length_new - coalesce(length_old, CASE WHEN type = 'new' THEN 0 END)) VIRTUAL,
  edit_size TEXT GENERATED ALWAYS AS
    (CASE WHEN length_delta > 500 THEN 'LARGE_ADDITION' WHEN length_delta < -500 THEN 'LARGE_REMOVAL'
          WHEN length_delta IS NOT NULL THEN 'SMALL' END) VIRTUAL,
  is_large_addition INTEGER GENERATED ALWAYS AS (coalesce(length_delta > 500, 0)) VIRTUAL,
  is_large_deletion INTEGER GENERATED ALWAYS AS (coalesce(length_delta < -500, 0)) VIRTUAL);
)";
// silver_events_stored as sql/schema_20_silver.sql defined it up to commit 05ed75e: the time as
// text, and project, language and region on every row.
const char* const kSilverStoredBeforeMs = R"(
CREATE TABLE silver_events_stored (
  bronze_id INTEGER PRIMARY KEY, event_time TEXT NOT NULL,
  event_date TEXT GENERATED ALWAYS AS (substr(event_time, 1, 10)) VIRTUAL,
  event_hour INTEGER GENERATED ALWAYS AS (CAST(substr(event_time, 12, 2) AS INTEGER)) VIRTUAL,
  domain TEXT NOT NULL, wiki TEXT, type TEXT NOT NULL, namespace INTEGER, title TEXT,
  page_url TEXT GENERATED ALWAYS AS ('https://' || domain || '/wiki/' || replace(title, ' ', '_')) VIRTUAL,
  rc_id INTEGER, revision_old INTEGER, revision_new INTEGER, comment TEXT, log_type TEXT, log_action TEXT,
  project TEXT NOT NULL, language TEXT, region TEXT NOT NULL, user_name TEXT, is_bot INTEGER NOT NULL,
  is_anonymous INTEGER NOT NULL, is_temporary INTEGER NOT NULL,
  user_type TEXT GENERATED ALWAYS AS (CASE WHEN is_bot THEN 'BOT' WHEN is_anonymous THEN 'ANONYMOUS'
                                      WHEN is_temporary THEN 'TEMPORARY' ELSE 'REGISTERED' END) VIRTUAL,
  is_minor INTEGER, is_patrolled INTEGER, length_old INTEGER, length_new INTEGER,
  length_delta INTEGER GENERATED ALWAYS AS (length_new - coalesce(length_old, CASE WHEN type = 'new' THEN 0 END)) VIRTUAL,
  edit_size TEXT GENERATED ALWAYS AS
    (CASE WHEN length_delta > 500 THEN 'LARGE_ADDITION' WHEN length_delta < -500 THEN 'LARGE_REMOVAL'
          WHEN length_delta IS NOT NULL THEN 'SMALL' END) VIRTUAL,
  is_large_addition INTEGER GENERATED ALWAYS AS (coalesce(length_delta > 500, 0)) VIRTUAL,
  is_large_deletion INTEGER GENERATED ALWAYS AS (coalesce(length_delta < -500, 0)) VIRTUAL);
CREATE INDEX silver_by_hour_wiki_page ON silver_events_stored (event_date, event_hour, domain, title, namespace, is_anonymous);
CREATE INDEX silver_large_deletions ON silver_events_stored (event_date, event_hour, length_delta) WHERE is_large_deletion;
CREATE VIEW silver_events AS
SELECT bronze_id,
       (SELECT b.event_id FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS event_id,
       event_time, event_date, event_hour,
       (SELECT b.ingested_at FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS ingested_at,
       round((julianday((SELECT b.ingested_at FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id))
              - julianday(event_time)) * 86400.0, 3) AS processing_delay_s,
       domain, wiki, type, namespace, title, page_url, rc_id, revision_old, revision_new, comment,
       log_type, log_action, project, language, region, user_name, is_bot, is_anonymous, is_temporary,
       user_type, is_minor, is_patrolled, length_old, length_new, length_delta, edit_size,
       is_large_addition, is_large_deletion
FROM silver_events_stored AS s;
)";
// The stored columns both older layouts share (the very first adds event_id and ingested_at).
const char* const kColumnsBeforeMs =
    "bronze_id, event_time, domain, wiki, type, namespace, title, rc_id, revision_old, revision_new, comment, "
    "log_type, log_action, project, language, region, user_name, is_bot, is_anonymous, is_temporary, is_minor, "
    "is_patrolled, length_old, length_new";
// silver_events_stored and silver_domains as sql/schema_20_silver.sql defined them up to commit
// d599c60: the time as milliseconds, the domain and type as text on every row.
const char* const kSilverStoredBeforeCoded = R"(
CREATE TABLE silver_events_stored (
  bronze_id INTEGER PRIMARY KEY, event_time_ms INTEGER NOT NULL,
  event_time TEXT GENERATED ALWAYS AS (
    datetime(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch') || '.' ||
    substr(1000 + (event_time_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  event_date TEXT GENERATED ALWAYS AS (date(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch')) VIRTUAL,
  event_hour INTEGER GENERATED ALWAYS AS ((event_time_ms % 86400000 + 86400000) % 86400000 / 3600000) VIRTUAL,
  domain TEXT NOT NULL, wiki TEXT, type TEXT NOT NULL, namespace INTEGER, title TEXT,
  page_url TEXT GENERATED ALWAYS AS ('https://' || domain || '/wiki/' || replace(title, ' ', '_')) VIRTUAL,
  rc_id INTEGER, revision_old INTEGER, revision_new INTEGER, comment TEXT, log_type TEXT, log_action TEXT,
  user_name TEXT, is_bot INTEGER NOT NULL, is_anonymous INTEGER NOT NULL, is_temporary INTEGER NOT NULL,
  user_type TEXT GENERATED ALWAYS AS (CASE WHEN is_bot THEN 'BOT' WHEN is_anonymous THEN 'ANONYMOUS'
                                      WHEN is_temporary THEN 'TEMPORARY' ELSE 'REGISTERED' END) VIRTUAL,
  is_minor INTEGER, is_patrolled INTEGER, length_old INTEGER, length_new INTEGER,
  length_delta INTEGER GENERATED ALWAYS AS (length_new - coalesce(length_old, CASE WHEN type = 'new' THEN 0 END)) VIRTUAL,
  edit_size TEXT GENERATED ALWAYS AS
    (CASE WHEN length_delta > 500 THEN 'LARGE_ADDITION' WHEN length_delta < -500 THEN 'LARGE_REMOVAL'
          WHEN length_delta IS NOT NULL THEN 'SMALL' END) VIRTUAL,
  is_large_addition INTEGER GENERATED ALWAYS AS (coalesce(length_delta > 500, 0)) VIRTUAL,
  is_large_deletion INTEGER GENERATED ALWAYS AS (coalesce(length_delta < -500, 0)) VIRTUAL);
CREATE TABLE silver_domains (domain TEXT PRIMARY KEY, project TEXT NOT NULL, language TEXT) WITHOUT ROWID;
CREATE INDEX silver_by_hour_wiki_page ON silver_events_stored (event_date, event_hour, domain, title, namespace, is_anonymous);
CREATE INDEX silver_large_deletions ON silver_events_stored (event_date, event_hour, length_delta) WHERE is_large_deletion;
CREATE VIEW silver_events AS
SELECT bronze_id,
       (SELECT b.event_id FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS event_id,
       event_time, event_date, event_hour,
       (SELECT b.ingested_at FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS ingested_at,
       ((SELECT b.ingested_at_ms FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) - event_time_ms) / 1000.0
         AS processing_delay_s,
       domain, wiki, type, namespace, title, page_url, rc_id, revision_old, revision_new, comment,
       log_type, log_action,
       (SELECT d.project FROM silver_domains AS d WHERE d.domain = s.domain) AS project,
       (SELECT d.language FROM silver_domains AS d WHERE d.domain = s.domain) AS language,
       (SELECT CASE WHEN d.language IS NOT NULL
                      THEN coalesce((SELECT r.region FROM ref_language_region AS r WHERE r.language = d.language), 'other')
                    WHEN d.project = 'other' THEN 'other'
                    ELSE 'global' END
        FROM silver_domains AS d WHERE d.domain = s.domain) AS region,
       user_name, is_bot, is_anonymous, is_temporary,
       user_type, is_minor, is_patrolled, length_old, length_new, length_delta, edit_size,
       is_large_addition, is_large_deletion
FROM silver_events_stored AS s;
INSERT INTO silver_domains SELECT DISTINCT domain, project, language FROM temp.silver_rows;
)";
const char* const kColumnsBeforeCoded =
    "bronze_id, event_time_ms, domain, wiki, type, namespace, title, rc_id, revision_old, revision_new, comment, "
    "log_type, log_action, user_name, is_bot, is_anonymous, is_temporary, is_minor, is_patrolled, length_old, "
    "length_new";
// silver_events_stored and silver_domains as sql/schema_20_silver.sql defined them up to commit
// 0ea0bfd: the wiki as text on every row, and comment, rc_id, ... stored.
const char* const kSilverStoredBeforeSlim = R"(
CREATE TABLE silver_events_stored (
  bronze_id INTEGER PRIMARY KEY, event_time_ms INTEGER NOT NULL,
  event_time TEXT GENERATED ALWAYS AS (
    datetime(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch') || '.' ||
    substr(1000 + (event_time_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  event_date TEXT GENERATED ALWAYS AS (date(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch')) VIRTUAL,
  event_hour INTEGER GENERATED ALWAYS AS ((event_time_ms % 86400000 + 86400000) % 86400000 / 3600000) VIRTUAL,
  domain_id INTEGER NOT NULL, wiki TEXT, type_code INTEGER NOT NULL,
  type TEXT GENERATED ALWAYS AS (CASE type_code WHEN 1 THEN 'edit' WHEN 2 THEN 'new' WHEN 3 THEN 'log'
                                 WHEN 4 THEN 'categorize' WHEN 5 THEN 'external' END) VIRTUAL,
  namespace INTEGER, title TEXT,
  rc_id INTEGER, revision_old INTEGER, revision_new INTEGER, comment TEXT, log_type TEXT, log_action TEXT,
  user_name TEXT, is_bot INTEGER NOT NULL, is_anonymous INTEGER NOT NULL, is_temporary INTEGER NOT NULL,
  user_type TEXT GENERATED ALWAYS AS (CASE WHEN is_bot THEN 'BOT' WHEN is_anonymous THEN 'ANONYMOUS'
                                      WHEN is_temporary THEN 'TEMPORARY' ELSE 'REGISTERED' END) VIRTUAL,
  is_minor INTEGER, is_patrolled INTEGER, length_old INTEGER, length_new INTEGER,
  length_delta INTEGER GENERATED ALWAYS AS (length_new - coalesce(length_old, CASE WHEN type = 'new' THEN 0 END)) VIRTUAL,
  edit_size TEXT GENERATED ALWAYS AS
    (CASE WHEN length_delta > 500 THEN 'LARGE_ADDITION' WHEN length_delta < -500 THEN 'LARGE_REMOVAL'
          WHEN length_delta IS NOT NULL THEN 'SMALL' END) VIRTUAL,
  is_large_addition INTEGER GENERATED ALWAYS AS (coalesce(length_delta > 500, 0)) VIRTUAL,
  is_large_deletion INTEGER GENERATED ALWAYS AS (coalesce(length_delta < -500, 0)) VIRTUAL);
CREATE TABLE silver_domains (domain_id INTEGER PRIMARY KEY, domain TEXT NOT NULL UNIQUE, project TEXT NOT NULL,
                             language TEXT);
CREATE INDEX silver_by_hour_wiki_page ON silver_events_stored (event_date, event_hour, domain_id, title, namespace, is_anonymous);
CREATE INDEX silver_large_deletions ON silver_events_stored (event_date, event_hour, length_delta) WHERE is_large_deletion;
CREATE VIEW silver_events AS
SELECT bronze_id,
       (SELECT b.event_id FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS event_id,
       event_time, event_date, event_hour,
       (SELECT b.ingested_at FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) AS ingested_at,
       ((SELECT b.ingested_at_ms FROM bronze_events AS b WHERE b.bronze_id = s.bronze_id) - event_time_ms) / 1000.0
         AS processing_delay_s,
       (SELECT d.domain FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS domain,
       wiki, type, namespace, title,
       (SELECT 'https://' || d.domain || '/wiki/' || replace(s.title, ' ', '_')
        FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS page_url,
       rc_id, revision_old, revision_new, comment, log_type, log_action,
       (SELECT d.project FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS project,
       (SELECT d.language FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS language,
       (SELECT CASE WHEN d.language IS NOT NULL
                      THEN coalesce((SELECT r.region FROM ref_language_region AS r WHERE r.language = d.language), 'other')
                    WHEN d.project = 'other' THEN 'other'
                    ELSE 'global' END
        FROM silver_domains AS d WHERE d.domain_id = s.domain_id) AS region,
       user_name, is_bot, is_anonymous, is_temporary,
       user_type, is_minor, is_patrolled, length_old, length_new, length_delta, edit_size,
       is_large_addition, is_large_deletion
FROM silver_events_stored AS s;
INSERT INTO silver_domains SELECT DISTINCT domain_id, domain, project, language FROM temp.silver_rows;
)";
const char* const kColumnsBeforeSlim =
    "bronze_id, event_time_ms, domain_id, wiki, type_code, namespace, title, rc_id, revision_old, revision_new, "
    "comment, log_type, log_action, user_name, is_bot, is_anonymous, is_temporary, is_minor, is_patrolled, "
    "length_old, length_new";
const char* const kSilverIndexesBefore = R"(
CREATE INDEX silver_by_hour_wiki_page ON silver_events (event_date, event_hour, domain, title, namespace, is_anonymous);
CREATE INDEX silver_large_deletions ON silver_events (event_date, event_hour, length_delta) WHERE is_large_deletion;
)";

class SilverViewTest : public ::testing::Test {
 public:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("lh_silver_view_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Database> Open() {
    std::unique_ptr<Database> db;
    Status s = Database::Open((dir_ / "t.db").string(), &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return db;
  }
  static std::string Scalar(Database* db, const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    Status s = db->Query(sql, &rows);
    EXPECT_TRUE(s.ok()) << s.ToString() << " in " << sql;
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }
  static void IngestRecording(Database* db, const std::string& recording) {
    Status s = db->Ingest(testing::RecentChange(recording));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // Every row of silver_events, every column (in the view's order), as one text.
  static std::string SilverRows(Database* db) {
    const std::string quoted = Scalar(
        db, "SELECT group_concat('quote(' || name || ')', ' || ''|'' || ') "
            "FROM pragma_table_xinfo('silver_events')");
    return Scalar(db, "SELECT count(*) || ':' || group_concat(r, char(10)) FROM (SELECT " + quoted +
                          " AS r FROM silver_events ORDER BY bronze_id)");
  }
  // Back to an older layout: Silver's rows (every column the view shows, and the stored
  // milliseconds, domain_id and type code: temp.silver_rows, which `layout` may read) copied into
  // `columns` of `table` as `layout` defines it after `drop` — then `extra`, SQL on it, and a
  // schema version that makes the next open apply the scripts.
  static void BackTo(Database* db, const std::string& drop, const char* layout, const std::string& table,
                     const std::string& columns, const std::string& extra) {
    Status back = db->Execute("BEGIN; CREATE TEMP TABLE silver_rows AS SELECT v.*, s.event_time_ms, s.domain_id, s.type_code "
                              "FROM silver_events AS v JOIN silver_events_stored AS s USING (bronze_id);" +
                              drop + layout + "INSERT INTO " + table + " (" + columns + ") SELECT " + columns +
                              " FROM temp.silver_rows; DROP TABLE temp.silver_rows;" + extra +
                              "PRAGMA user_version = 0; COMMIT;");
    ASSERT_TRUE(back.ok()) << back.ToString();
  }
  // The layout of a database made before the view: Silver a table, with event_id and ingested_at.
  static void BackToSilverTable(Database* db, const std::string& extra) {
    ASSERT_NO_FATAL_FAILURE(BackTo(db, "DROP VIEW silver_events; DROP TABLE silver_events_stored; DROP TABLE silver_domains;",
                                   kSilverTableBefore, "silver_events",
                                   std::string("event_id, ingested_at, ") + kColumnsBeforeMs,
                                   kSilverIndexesBefore + extra));
    ASSERT_EQ(Scalar(db, "SELECT type FROM sqlite_schema WHERE name = 'silver_events'"), "table");
  }
  // The layout of 05ed75e: silver_events_stored with the time as text, project, language, region.
  static void BackToTextTimes(Database* db, const std::string& extra) {
    ASSERT_NO_FATAL_FAILURE(BackTo(db, "DROP VIEW silver_events; DROP TABLE silver_events_stored; DROP TABLE silver_domains;",
                                   kSilverStoredBeforeMs, "silver_events_stored", kColumnsBeforeMs, extra));
    ASSERT_EQ(StoredHas(db, "region"), "1");
  }
  // The layout of d599c60: the time as milliseconds, the domain and type as text.
  static void BackToTextDomains(Database* db, const std::string& extra) {
    ASSERT_NO_FATAL_FAILURE(BackTo(db, "DROP VIEW silver_events; DROP TABLE silver_events_stored; DROP TABLE silver_domains;",
                                   kSilverStoredBeforeCoded, "silver_events_stored", kColumnsBeforeCoded, extra));
    ASSERT_EQ(StoredHas(db, "domain"), "1");
  }
  // The layout of 0ea0bfd: the wiki as text, and comment, rc_id, ... stored.
  static void BackToStoredComments(Database* db, const std::string& extra) {
    ASSERT_NO_FATAL_FAILURE(BackTo(db, "DROP VIEW silver_events; DROP TABLE silver_events_stored; DROP TABLE silver_domains;",
                                   kSilverStoredBeforeSlim, "silver_events_stored", kColumnsBeforeSlim, extra));
    ASSERT_EQ(StoredHas(db, "comment"), "1");
  }
  // Opening the file is refused with a message that holds each of `parts`.
  void ExpectOpenRefused(std::initializer_list<std::string> parts) {
    std::unique_ptr<Database> refused;
    Status s = Database::Open((dir_ / "t.db").string(), &refused);
    ASSERT_FALSE(s.ok());
    for (const std::string& part : parts) EXPECT_NE(s.message().find(part), std::string::npos) << s.message();
  }
  // `sql` on the file through plain SQLite (Database::Open would move it): its first value, ""
  // when it has none, or "error: ..." when it fails.
  std::string RawScalar(const std::string& sql) {
    sqlite3* raw = nullptr;
    std::string out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_open((dir_ / "t.db").string().c_str(), &raw) != SQLITE_OK ||
        sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      out = std::string("error: ") + sqlite3_errmsg(raw);
    } else {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      } else if (rc != SQLITE_DONE) {
        out = std::string("error: ") + sqlite3_errmsg(raw);
      }
    }
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return out;
  }
  static std::string StoredHas(Database* db, const std::string& column) {
    return Scalar(db, "SELECT count(*) FROM pragma_table_xinfo('silver_events_stored') WHERE name = '" + column + "'");
  }
  // The details of `sql`'s EXPLAIN QUERY PLAN, "; " after each.
  static std::string QueryPlan(Database* db, const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    EXPECT_TRUE(db->Query("EXPLAIN QUERY PLAN " + sql, &rows).ok()) << sql;
    std::string details;
    for (const auto& row : rows) details += row.back() + "; ";  // (id, parent, notused, detail)
    return details;
  }
  static std::string SilverColumns(Database* db) {
    return Scalar(db, "SELECT group_concat(name, ',') FROM pragma_table_xinfo('silver_events')");
  }
  fs::path dir_;
};

const char* const kSpecColumns =
    "bronze_id,event_id,event_time,event_date,event_hour,ingested_at,processing_delay_s,domain,wiki,"
    "type,namespace,title,page_url,rc_id,revision_old,revision_new,comment,log_type,log_action,"
    "project,language,region,user_name,is_bot,is_anonymous,is_temporary,user_type,is_minor,"
    "is_patrolled,length_old,length_new,length_delta,edit_size,is_large_addition,is_large_deletion";

TEST_F(SilverViewTest, EventIdAndArrivalAreBronzesAndCostOnlyWhenRead) {
  auto db = Open();
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  EXPECT_EQ(SilverColumns(db.get()), kSpecColumns);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events"),
            "2386");  // 2,387 less the type "142"
  // Each row's event_id and ingested_at are its Bronze row's, and the delay follows from them.
  EXPECT_EQ(
      Scalar(
          db.get(),
          "SELECT count(*) FROM silver_events AS s JOIN bronze_events AS b USING (bronze_id) "
          "WHERE s.event_id = b.event_id AND s.ingested_at = b.ingested_at "
          "AND s.processing_delay_s = round((julianday(b.ingested_at) - julianday(b.event_time)) "
          "* 86400.0, 3) AND s.event_id IS NOT NULL"),
      "2386");
  EXPECT_EQ(Scalar(db.get(),
                   "SELECT count(*) FROM pragma_table_xinfo('silver_events_stored') "
                   "WHERE name IN ('event_id', 'ingested_at', 'processing_delay_s')"),
            "0");
  // A query that reads neither never looks into Bronze; one that reads event_id does, per row.
  auto plan = [&](const std::string& sql) { return QueryPlan(db.get(), sql); };
  // (The view's `b` is Bronze, `d` silver_domains, `r` ref_language_region.)
  const std::string hour = "FROM silver_events WHERE event_date = '2025-06-15' AND event_hour = 1";
  EXPECT_EQ(
      plan("SELECT count(*), sum(length_delta), count(DISTINCT user_name) " + hour).find("SEARCH b "),
      std::string::npos);
  EXPECT_EQ(plan("SELECT domain, title, user_name " + hour).find("SEARCH b "), std::string::npos);
  EXPECT_NE(plan("SELECT event_id " + hour).find("SEARCH b USING INTEGER PRIMARY KEY"), std::string::npos);
  // Nor into silver_domains or ref_language_region, unless it reads domain, page_url, project,
  // language or region (or wiki); the domain is one rowid lookup.
  EXPECT_EQ(plan("SELECT title, comment, event_time, type " + hour).find("SEARCH d "), std::string::npos);
  const std::string domain = plan("SELECT domain " + hour);
  EXPECT_NE(domain.find("SEARCH d USING INTEGER PRIMARY KEY"), std::string::npos) << domain;
  EXPECT_EQ(domain.find("SEARCH r "), std::string::npos) << domain;
  const std::string region = plan("SELECT region " + hour);
  EXPECT_NE(region.find("SEARCH d USING INTEGER PRIMARY KEY"), std::string::npos) << region;
  EXPECT_NE(region.find("SEARCH r USING PRIMARY KEY"), std::string::npos) << region;
  EXPECT_NE(plan("SELECT event_id " + hour).find("CORRELATED SCALAR SUBQUERY"), std::string::npos);
  // It is a view: Silver is written by the pipeline only.
  EXPECT_FALSE(db->Execute("DELETE FROM silver_events").ok());
}

TEST_F(SilverViewTest, ADatabaseWithSilversTableMovesToTheView) {
  auto db = Open();
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  const std::string rows = SilverRows(db.get());
  // Back to the layout of a database made before the view, with an analyst's index on it.
  ASSERT_NO_FATAL_FAILURE(BackToSilverTable(
      db.get(), "CREATE INDEX analysts_by_user ON silver_events (user_name, event_time);"));
  ASSERT_EQ(SilverRows(db.get()), rows);
  db.reset();

  db = Open();
  EXPECT_EQ(Scalar(db.get(), "SELECT type FROM sqlite_schema WHERE name = 'silver_events'"),
            "view");
  EXPECT_EQ(SilverColumns(db.get()), kSpecColumns);
  EXPECT_EQ(SilverRows(db.get()), rows);
  EXPECT_EQ(Scalar(db.get(),
                   "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema "
                   "WHERE type = 'index' AND tbl_name = 'silver_events_stored' ORDER BY name)"),
            "analysts_by_user,silver_by_hour_wiki_page,silver_large_deletions");
  EXPECT_EQ(Scalar(db.get(), "PRAGMA integrity_check"), "ok");
  // And the pipeline goes on over it: the next recording's rows arrive, Gold still equals its
  // recomputation from Silver.
  IngestRecording(db.get(), "sat99496-wikistream-lakehouse/recentchanges_sample.jsonl");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events"), "2436");
  EXPECT_EQ(
      Scalar(db.get(),
             "SELECT count(*) FROM silver_events WHERE event_id IS NULL OR ingested_at IS NULL"),
      "0");
  uint64_t diff = 1;
  ASSERT_TRUE(CheckGoldAgainstRecompute(db->handle(), &diff).ok());
  EXPECT_EQ(diff, 0u);
}

// An index of the analyst's on a column Silver's table no longer stores stops the move (SQLite
// cannot drop an indexed column): opening says which index, and the database stays as it was
// until the index is dropped.
TEST_F(SilverViewTest, AnIndexOnAMovedColumnStopsTheMoveWithItsName) {
  auto db = Open();
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  const std::string rows = SilverRows(db.get());
  ASSERT_NO_FATAL_FAILURE(
      BackToSilverTable(db.get(), "CREATE INDEX analysts_by_id ON silver_events (event_id);"));
  db.reset();

  ASSERT_NO_FATAL_FAILURE(ExpectOpenRefused({"Silver is now a view", "analysts_by_id", "must be dropped first"}));
  EXPECT_EQ(RawScalar("SELECT type FROM sqlite_schema WHERE name = 'silver_events'"), "table")
      << "the move was undone whole";
  EXPECT_EQ(RawScalar("DROP INDEX analysts_by_id"), "");

  db = Open();
  EXPECT_EQ(Scalar(db.get(), "SELECT type FROM sqlite_schema WHERE name = 'silver_events'"),
            "view");
  EXPECT_EQ(SilverRows(db.get()), rows);
}

// Project and language are silver_domains' (one row per wiki) and region is read from
// ref_language_region: each is what the SQL functions say of the row's domain, and an edit of
// the reference table shows in every Silver row at once.
TEST_F(SilverViewTest, WikisFactsAreTheDomainsAndRegionFollowsTheReferenceTable) {
  auto db = Open();
  for (const char* recording : {"yearfunla-wikiMedia_stream_monitor/recentchange_raw.json",
                                "sat99496-wikistream-lakehouse/recentchanges_sample.jsonl"}) {
    IngestRecording(db.get(), recording);
  }
  // (No recording has a wiki of no known project, or of a language the table lacks.)
  const std::string made_up = (dir_ / "made_up.jsonl").string();
  std::ofstream(made_up)
      << R"({"meta":{"id":"made-up-1","dt":"2024-08-22T04:04:22Z","domain":"wiki.example.org"},"type":"edit",)"
         R"("title":"T","user":"U","wiki":"examplewiki","namespace":0,"length":{"old":1,"new":2}})" "\n"
      << R"({"meta":{"id":"made-up-2","dt":"2024-08-22T04:04:23Z","domain":"xx.wikipedia.org"},"type":"edit",)"
         R"("title":"T","user":"U","wiki":"xxwiki","namespace":0,"length":{"old":1,"new":2}})" "\n";
  ASSERT_TRUE(db->Ingest(made_up).ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(domain || ':' || project || ':' || coalesce(language, '-') || ':' || "
                             "region, ' ') FROM (SELECT * FROM silver_events WHERE event_id LIKE 'made-up-%' ORDER BY 1)"),
            "wiki.example.org:other:-:other xx.wikipedia.org:wikipedia:xx:other");
  const std::string rows = Scalar(db.get(), "SELECT count(*) FROM silver_events");
  // The wiki and the type, stored as codes, read back as Bronze and the payload have them, and
  // every type of the stream is among the recordings' rows.
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events AS s JOIN bronze_events AS b USING (bronze_id) "
                             "WHERE s.domain = b.domain AND s.type = lh_json_extract(b.payload, '$.type') "
                             "AND s.page_url IS 'https://' || b.domain || '/wiki/' || replace(s.title, ' ', '_')"),
            rows);
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(type) FROM (SELECT DISTINCT type FROM silver_events ORDER BY 1)"),
            "categorize,edit,log,new");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE project = wiki_project(domain) "
                             "AND language IS wiki_language(domain) AND region = wiki_region(domain)"),
            rows);
  // A row per wiki Bronze brought (none for canaries), each Silver row's among them.
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) || ':' || count(DISTINCT domain) FROM silver_domains"),
            Scalar(db.get(), "SELECT count(DISTINCT domain) || ':' || count(DISTINCT domain) FROM bronze_events "
                             "WHERE domain <> 'canary'"));
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events_stored "
                             "WHERE domain_id NOT IN (SELECT domain_id FROM silver_domains)"),
            "0");
  const std::string kinds = Scalar(db.get(), "SELECT count(DISTINCT region) || ':' || count(DISTINCT project) "
                                             "|| ':' || count(language) FROM silver_events");
  EXPECT_GE(std::stoi(kinds.substr(0, kinds.find(':'))), 3) << kinds;  // global, americas, europe, ...
  for (const char* column : {"project", "language", "region", "event_time", "domain", "page_url", "type"}) {
    EXPECT_EQ(Scalar(db.get(), std::string("SELECT count(*) FROM pragma_table_list WHERE name = 'silver_events_stored'") +
                                   " AND EXISTS (SELECT 1 FROM pragma_table_xinfo('silver_events_stored') WHERE name = '" +
                                   column + "' AND hidden = 0)"),
              "0")
        << column << " is not stored";
  }
  const std::string english = Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE domain = 'en.wikipedia.org'");
  ASSERT_GT(std::stoi(english), 0);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE domain = 'en.wikipedia.org' AND region = 'americas'"),
            english);
  ASSERT_TRUE(db->Execute("UPDATE ref_language_region SET region = 'europe' WHERE language = 'en'").ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE domain = 'en.wikipedia.org' AND region = 'europe'"),
            english);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE region = wiki_region(domain)"), rows);
  // A language the table does not know is 'other'; a multilingual project stays 'global'.
  ASSERT_TRUE(db->Execute("DELETE FROM ref_language_region WHERE language = 'en'").ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE domain = 'en.wikipedia.org' AND region = 'other'"),
            english);
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(DISTINCT region) FROM silver_events WHERE domain = 'www.wikidata.org'"),
            "global");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE region = wiki_region(domain)"), rows);
}

// What only analysts read of an event (comment, rc_id, the revisions, log_type, log_action,
// is_minor, is_patrolled) is not stored in Silver: the view reads it from Bronze's `decoded`, which
// decodes the payload, and it is what the payload says. The wiki is stored only where it is not
// its domain's, and reads back as the payload has it.
TEST_F(SilverViewTest, AnalystsFieldsAreThePayloadsAndTheWikiIsStoredOnlyWhereItDiffers) {
  auto db = Open();
  for (const char* recording : {"yearfunla-wikiMedia_stream_monitor/recentchange_raw.json",
                                "sat99496-wikistream-lakehouse/recentchanges_sample.jsonl",
                                "wikidata-editgroups/eg_revert.json", "electricsql-rag/output.json"}) {
    IngestRecording(db.get(), recording);
  }
  const std::string rows = Scalar(db.get(), "SELECT count(*) FROM silver_events");
  ASSERT_GT(std::stoi(rows), 2500);
  EXPECT_EQ(Scalar(db.get(),
                   "SELECT count(*) FROM silver_events AS s JOIN bronze_events AS b USING (bronze_id) "
                   "WHERE s.comment IS lh_json_extract(b.payload, '$.comment') "
                   "AND s.rc_id IS lh_json_extract(b.payload, '$.id') "
                   "AND s.revision_old IS lh_json_extract(b.payload, '$.revision.old') "
                   "AND s.revision_new IS lh_json_extract(b.payload, '$.revision.new') "
                   "AND s.log_type IS lh_json_extract(b.payload, '$.log_type') "
                   "AND s.log_action IS lh_json_extract(b.payload, '$.log_action') "
                   "AND s.is_minor IS lh_json_extract(b.payload, '$.minor') "
                   "AND s.is_patrolled IS lh_json_extract(b.payload, '$.patrolled') "
                   "AND s.wiki IS lh_json_extract(b.payload, '$.wiki') "
                   "AND json_valid(b.decoded) AND b.decoded ->> 'comment' IS s.comment"),
            rows);
  // Each of them is present on some rows and absent on others (log events have no revision).
  const std::string counts = Scalar(db.get(), "SELECT count(comment) > 0 AND count(rc_id) > 0 AND count(revision_old) > 0 "
                                              "AND count(revision_new) < count(*) AND count(log_type) > 0 "
                                              "AND count(log_action) > 0 AND count(is_minor) > 0 "
                                              "AND count(is_patrolled) > 0 AND count(wiki) = count(*) FROM silver_events");
  EXPECT_EQ(counts, "1");
  for (const char* column : {"comment", "rc_id", "revision_old", "revision_new", "log_type", "log_action", "is_minor",
                             "is_patrolled", "wiki"}) {
    EXPECT_EQ(StoredHas(db.get(), column), "0") << column << " is not stored";
  }
  EXPECT_EQ(Scalar(db.get(), "SELECT count(wiki_coded) FROM silver_events_stored"), "0")
      << "every recorded event names its domain's one wiki";

  // Events of two wikis Silver has not met: of the first, ids in order (Bronze writes a batch in
  // id order, and a wiki's first row names its wiki), one naming another wiki, one none, one "0";
  // the second's first event names none.
  const std::string events = (dir_ / "wikis.jsonl").string();
  std::ofstream out(events);
  int second = 0;
  const std::initializer_list<const char*> wikis = {R"("zzwiki")", R"("zzwiki")", R"("otherwiki")", nullptr,
                                                    R"("0")"};
  for (const char* wiki : wikis) {
    out << R"({"meta":{"id":"made-up-z)" << ++second
        << R"(","dt":"2024-08-22T04:04:22Z","domain":"zz.wikipedia.org"},"type":"edit","title":"T","user":"U",)"
        << (wiki ? std::string(R"("wiki":)") + wiki + "," : std::string()) << R"("namespace":0})" << "\n";
  }
  out << R"({"meta":{"id":"made-up-y1","dt":"2024-08-22T04:04:22Z","domain":"yy.wikipedia.org"},"type":"edit","title":"T"})"
      << "\n"
      << R"({"meta":{"id":"made-up-y2","dt":"2024-08-22T04:04:22Z","domain":"yy.wikipedia.org"},"type":"edit","title":"T","wiki":"yywiki"})"
      << "\n";
  out.close();
  ASSERT_TRUE(db->Ingest(events).ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(coalesce(wiki, '-') || ':' || typeof(wiki_coded), ' ') FROM ("
                             "SELECT v.wiki, s.wiki_coded FROM silver_events AS v JOIN silver_events_stored AS s "
                             "USING (bronze_id) WHERE v.event_id LIKE 'made-up-%' ORDER BY v.event_id)"),
            "-:null yywiki:text zzwiki:null zzwiki:null otherwiki:text -:integer 0:text");
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(domain || ':' || coalesce(wiki, '-'), ' ') FROM "
                             "(SELECT * FROM silver_domains WHERE domain IN ('zz.wikipedia.org', 'yy.wikipedia.org') "
                             "ORDER BY domain)"),
            "yy.wikipedia.org:- zz.wikipedia.org:zzwiki");
  // The data-quality check that counts events naming their wiki counts five of the seven.
  EXPECT_EQ(Scalar(db.get(), "SELECT abs(metric - 5.0 / 7) < 1e-9 FROM dq_results WHERE rule = 'bronze_wiki_complete' "
                             "ORDER BY result_id DESC LIMIT 1"),
            "1");
  // A query that reads none of them never looks into Bronze; one that reads the comment does.
  auto plan = [&](const std::string& sql) { return QueryPlan(db.get(), sql); };
  EXPECT_EQ(plan("SELECT title, wiki, user_name FROM silver_events").find("SEARCH b "), std::string::npos);
  EXPECT_NE(plan("SELECT comment FROM silver_events").find("SEARCH b USING INTEGER PRIMARY KEY"), std::string::npos);
}

// Silver's time is stored as Bronze's milliseconds; its texts are spelled from them as Bronze's
// are, and the date and hour agree with the text.
TEST_F(SilverViewTest, TimesAreBronzesMillisecondsSpelledTheSameWay) {
  auto db = Open();
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  IngestRecording(db.get(), "wikidata-editgroups/eg_revert.json");
  const std::string rows = Scalar(db.get(), "SELECT count(*) FROM silver_events");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events_stored AS s JOIN bronze_events AS b USING (bronze_id) "
                             "WHERE s.event_time_ms = b.event_time_ms AND s.event_time = b.event_time "
                             "AND s.event_date = substr(b.event_time, 1, 10) "
                             "AND s.event_hour = CAST(substr(b.event_time, 12, 2) AS INTEGER)"),
            rows);
  // The same over 20,000 times of years 0000-9999 (a fifth before 1970), written by hand.
  ASSERT_TRUE(db->Execute(std::string("INSERT INTO silver_events_stored (bronze_id, event_time_ms, domain_id, "
                                      "type_code, is_bot, is_anonymous, is_temporary) "
                                      "SELECT 1000000 + value, ms, -1, 1, 0, 0, 0 FROM (") +
                          testing::kSweepTimesSql + ")").ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events_stored WHERE domain_id = -1 "
                             "AND event_time = strftime('%Y-%m-%d %H:%M:%f', event_time_ms / 1000.0, 'unixepoch') "
                             "AND event_date = substr(event_time, 1, 10) "
                             "AND event_hour = CAST(substr(event_time, 12, 2) AS INTEGER)"),
            "20000");
  EXPECT_GT(std::stoi(Scalar(db.get(), "SELECT sum(event_time_ms < 0) FROM silver_events_stored WHERE domain_id = -1")),
            2000);
}

// A database of an older layout (`back_to`), with an analyst's index and trigger (and a view of
// silver_domains, where the layout has that table), opened: every row of the view the same, the
// wiki a domain_id and the type a code, the analyst's objects working, and the pipeline going on
// over it.
void ExpectMovesToTheCurrentLayout(SilverViewTest* test, void (*back_to)(Database*, const std::string&),
                                   bool has_domains_table) {
  auto db = test->Open();
  SilverViewTest::IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  SilverViewTest::IngestRecording(db.get(), "wikidata-editgroups/eg_revert.json");
  const std::string rows = SilverViewTest::SilverRows(db.get());
  ASSERT_NO_FATAL_FAILURE(back_to(
      db.get(), "CREATE INDEX analysts_by_user ON silver_events_stored (user_name, event_time);"
                "CREATE TABLE analysts_log (n INTEGER);"
                "CREATE TRIGGER analysts_count AFTER DELETE ON silver_events_stored "
                "BEGIN INSERT INTO analysts_log VALUES (1); END;" +
                std::string(has_domains_table ? "CREATE VIEW analysts_wikis AS SELECT domain, project FROM silver_domains;"
                                              : "CREATE VIEW analysts_wikis AS SELECT 1 AS domain, 2 AS project;")));
  ASSERT_EQ(SilverViewTest::SilverRows(db.get()), rows);
  const std::string wikis = SilverViewTest::Scalar(db.get(), "SELECT group_concat(domain || project) FROM analysts_wikis");
  db.reset();

  db = test->Open();
  auto scalar = [&](const std::string& sql) { return SilverViewTest::Scalar(db.get(), sql); };
  for (const char* gone : {"region", "domain", "page_url", "wiki", "comment", "rc_id", "is_minor"}) {
    EXPECT_EQ(SilverViewTest::StoredHas(db.get(), gone), "0") << gone;
  }
  for (const char* kept : {"event_time_ms", "domain_id", "type_code", "wiki_coded"}) {
    EXPECT_EQ(SilverViewTest::StoredHas(db.get(), kept), "1") << kept;
  }
  // Each wiki's name is its domain's row's: every recorded event names its domain's one wiki.
  EXPECT_EQ(SilverViewTest::Scalar(db.get(), "SELECT count(*) || ':' || count(wiki_coded) FROM silver_events_stored"),
            SilverViewTest::Scalar(db.get(), "SELECT count(*) || ':0' FROM silver_events"));
  EXPECT_EQ(SilverViewTest::SilverColumns(db.get()), kSpecColumns);
  EXPECT_EQ(SilverViewTest::SilverRows(db.get()), rows);
  EXPECT_EQ(scalar("SELECT count(*) || ':' || count(DISTINCT domain_id) FROM silver_domains"),
            scalar("SELECT count(DISTINCT domain) || ':' || count(DISTINCT domain) FROM silver_events"));
  EXPECT_EQ(scalar("SELECT group_concat(DISTINCT type_code) FROM (SELECT type_code FROM silver_events_stored "
                   "ORDER BY type_code)"),
            "1,2,3,4");  // (the recordings have no 'external')
  EXPECT_EQ(scalar("SELECT group_concat(domain || project) FROM analysts_wikis"), wikis);
  EXPECT_EQ(scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema "
                   "WHERE tbl_name = 'silver_events_stored' AND type <> 'table' AND sql IS NOT NULL "
                   "ORDER BY name)"),
            "analysts_by_user,analysts_count,silver_by_hour_wiki_page,silver_large_deletions");
  EXPECT_NE(scalar("SELECT sql FROM sqlite_schema WHERE name = 'silver_by_hour_wiki_page'").find("domain_id"),
            std::string::npos);
  std::vector<std::vector<std::string>> plan;  // (id, parent, notused, detail)
  ASSERT_TRUE(db->Query("EXPLAIN QUERY PLAN SELECT event_time FROM silver_events_stored WHERE user_name = 'x'", &plan).ok());
  ASSERT_FALSE(plan.empty());
  EXPECT_NE(plan[0].back().find("analysts_by_user"), std::string::npos) << plan[0].back();
  EXPECT_EQ(scalar("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'lh_silver_%_before%'"), "0");
  EXPECT_EQ(scalar("PRAGMA integrity_check"), "ok");
  SilverViewTest::IngestRecording(db.get(), "sat99496-wikistream-lakehouse/recentchanges_sample.jsonl");
  EXPECT_EQ(scalar("SELECT count(*) FROM silver_events WHERE region IS NULL OR project IS NULL OR domain IS NULL"),
            "0");
  uint64_t diff = 1;
  ASSERT_TRUE(CheckGoldAgainstRecompute(db->handle(), &diff).ok());
  EXPECT_EQ(diff, 0u);
  ASSERT_TRUE(db->Execute("DELETE FROM silver_events_stored WHERE bronze_id = 1").ok());
  EXPECT_EQ(scalar("SELECT count(*) FROM analysts_log"), "1");
}

TEST_F(SilverViewTest, ADatabaseWithSilversTextTimesMovesToTheCurrentLayout) {
  ExpectMovesToTheCurrentLayout(this, &SilverViewTest::BackToTextTimes, false);
}

TEST_F(SilverViewTest, ADatabaseWithSilversTextDomainsMovesToTheCurrentLayout) {
  ExpectMovesToTheCurrentLayout(this, &SilverViewTest::BackToTextDomains, true);
}

TEST_F(SilverViewTest, ADatabaseWithSilversStoredCommentsMovesToTheCurrentLayout) {
  ExpectMovesToTheCurrentLayout(this, &SilverViewTest::BackToStoredComments, true);
}

// A moved row whose wiki is not its domain's keeps it: none, "0" and another wiki, among rows
// that name their domain's (the one most of a domain's rows name becomes silver_domains.wiki).
TEST_F(SilverViewTest, AMovedWikiThatIsNotItsDomainsStaysOnItsRow) {
  auto db = Open();
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  const std::string first = "(SELECT min(bronze_id) FROM silver_events_stored)";
  ASSERT_NO_FATAL_FAILURE(BackToStoredComments(
      db.get(), "UPDATE silver_events_stored SET wiki = NULL WHERE bronze_id = " + first + ";"
                "UPDATE silver_events_stored SET wiki = '0' WHERE bronze_id = " + first + " + 1;"
                "UPDATE silver_events_stored SET wiki = 'otherwiki' WHERE bronze_id = " + first + " + 2;"));
  const std::string rows = SilverRows(db.get());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE wiki IS NULL OR wiki IN ('0', 'otherwiki')"), "3");
  db.reset();

  db = Open();
  EXPECT_EQ(SilverRows(db.get()), rows);
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(typeof(wiki_coded) || ':' || coalesce(wiki_coded, '-')) FROM "
                             "(SELECT wiki_coded FROM silver_events_stored WHERE wiki_coded IS NOT NULL ORDER BY bronze_id)"),
            "integer:0,text:0,text:otherwiki");
}

// An index of one's own on a column no longer stored (`column`, in the layout `back_to` makes)
// stops the move, saying which, and the database stays as it was until the index is dropped.
void ExpectAnIndexOnStopsTheMove(SilverViewTest* test, void (*back_to)(Database*, const std::string&),
                                 const std::string& column) {
  auto db = test->Open();
  SilverViewTest::IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  const std::string rows = SilverViewTest::SilverRows(db.get());
  ASSERT_NO_FATAL_FAILURE(back_to(db.get(), "CREATE INDEX analysts_by_" + column + " ON silver_events_stored (" + column + ");"));
  db.reset();

  ASSERT_NO_FATAL_FAILURE(test->ExpectOpenRefused({"moving Silver to its current layout", "analysts_by_" + column}));
  EXPECT_EQ(test->RawScalar("SELECT count(*) FROM pragma_table_xinfo('silver_events_stored') WHERE name = '" + column + "'"),
            "1")
      << "the move was undone whole";
  EXPECT_EQ(test->RawScalar("DROP INDEX analysts_by_" + column), "");

  db = test->Open();
  EXPECT_EQ(SilverViewTest::StoredHas(db.get(), column), "0");
  EXPECT_EQ(SilverViewTest::SilverRows(db.get()), rows);
}

TEST_F(SilverViewTest, AnIndexOnRegionStopsTheMoveWithItsName) {
  ExpectAnIndexOnStopsTheMove(this, &SilverViewTest::BackToTextTimes, "region");
}

TEST_F(SilverViewTest, AnIndexOnDomainStopsTheMoveWithItsName) {
  ExpectAnIndexOnStopsTheMove(this, &SilverViewTest::BackToTextDomains, "domain");
}

TEST_F(SilverViewTest, AnIndexOnCommentStopsTheMoveWithItsName) {
  ExpectAnIndexOnStopsTheMove(this, &SilverViewTest::BackToStoredComments, "comment");
}

}  // namespace
}  // namespace litehouse

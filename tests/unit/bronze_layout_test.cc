// Bronze stores its times as milliseconds, the public stream's two Kafka topics as 1 and 2 and a
// UUID event_id as its 16 bytes; generated columns spell them as the data contract's text
// (sql/schema_10_bronze.sql). What a reader sees must be what was delivered, for any time the
// text can hold and any id, and a database whose Bronze still holds the texts (engine/schema.cc,
// MigrateBronzeToCurrentLayout), or lacks its `decoded` column, must come through with every row,
// and with the indexes, triggers and views of one's own on it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "litehouse/litehouse.h"
#include "test_data.h"
#include "test_dir_fixture.h"

namespace litehouse {
namespace {

// Bronze as sql/schema_10_bronze.sql defined it up to commit 562c39a.
const char* const kBronzeTableBefore = R"(
CREATE TABLE bronze_events (
  bronze_id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, source_id INTEGER NOT NULL,
  source_offset INTEGER, sse_id TEXT, kafka_topic TEXT, kafka_partition INTEGER, kafka_offset INTEGER,
  event_time TEXT NOT NULL,
  event_date TEXT GENERATED ALWAYS AS (substr(event_time, 1, 10)) VIRTUAL,
  event_hour INTEGER GENERATED ALWAYS AS (CAST(substr(event_time, 12, 2) AS INTEGER)) VIRTUAL,
  ingested_at TEXT NOT NULL, domain TEXT, payload BLOB NOT NULL);
)";

// Bronze as sql/schema_10_bronze.sql defined it from commit 186db7a up to 9a16483: the times as
// milliseconds, event_id as text.
const char* const kBronzeTableBeforeCodedIds = R"(
CREATE TABLE bronze_events (
  bronze_id INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, source_id INTEGER NOT NULL,
  source_offset INTEGER, sse_id TEXT,
  kafka_topic TEXT GENERATED ALWAYS AS (
    CASE kafka_topic_coded WHEN 1 THEN 'eqiad.mediawiki.recentchange' WHEN 2 THEN 'codfw.mediawiki.recentchange'
                           ELSE kafka_topic_coded END) VIRTUAL,
  kafka_partition INTEGER, kafka_offset INTEGER,
  event_time TEXT GENERATED ALWAYS AS (
    datetime(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch') || '.' ||
    substr(1000 + (event_time_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  event_date TEXT GENERATED ALWAYS AS (substr(event_time, 1, 10)) VIRTUAL,
  event_hour INTEGER GENERATED ALWAYS AS (CAST(substr(event_time, 12, 2) AS INTEGER)) VIRTUAL,
  ingested_at TEXT GENERATED ALWAYS AS (
    datetime(ingested_at_ms / 1000 - (ingested_at_ms % 1000 < 0), 'unixepoch') || '.' ||
    substr(1000 + (ingested_at_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  domain TEXT, payload BLOB NOT NULL, kafka_topic_coded, event_time_ms INTEGER NOT NULL,
  ingested_at_ms INTEGER NOT NULL);
)";

// Bronze as sql/schema_10_bronze.sql defined it from commit 7c80103 up to 0ea0bfd: without its
// `decoded` column, and with NOT NULL columns.
const char* const kBronzeTableBeforeDecoded = R"(
CREATE TABLE bronze_events (
  bronze_id INTEGER PRIMARY KEY,
  event_id TEXT GENERATED ALWAYS AS (
    CASE WHEN typeof(event_id_coded) = 'blob'
      THEN lower(hex(substr(event_id_coded, 1, 4)) || '-' || hex(substr(event_id_coded, 5, 2)) || '-' ||
                 hex(substr(event_id_coded, 7, 2)) || '-' || hex(substr(event_id_coded, 9, 2)) || '-' ||
                 hex(substr(event_id_coded, 11, 6)))
      ELSE event_id_coded END) VIRTUAL,
  source_id INTEGER NOT NULL, source_offset INTEGER, sse_id TEXT,
  kafka_topic TEXT GENERATED ALWAYS AS (
    CASE kafka_topic_coded WHEN 1 THEN 'eqiad.mediawiki.recentchange' WHEN 2 THEN 'codfw.mediawiki.recentchange'
                           ELSE kafka_topic_coded END) VIRTUAL,
  kafka_partition INTEGER, kafka_offset INTEGER,
  event_time TEXT GENERATED ALWAYS AS (
    datetime(event_time_ms / 1000 - (event_time_ms % 1000 < 0), 'unixepoch') || '.' ||
    substr(1000 + (event_time_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  event_date TEXT GENERATED ALWAYS AS (substr(event_time, 1, 10)) VIRTUAL,
  event_hour INTEGER GENERATED ALWAYS AS (CAST(substr(event_time, 12, 2) AS INTEGER)) VIRTUAL,
  ingested_at TEXT GENERATED ALWAYS AS (
    datetime(ingested_at_ms / 1000 - (ingested_at_ms % 1000 < 0), 'unixepoch') || '.' ||
    substr(1000 + (ingested_at_ms % 1000 + 1000) % 1000, 2)) VIRTUAL,
  domain TEXT, payload BLOB NOT NULL, event_id_coded NOT NULL UNIQUE, kafka_topic_coded,
  event_time_ms INTEGER NOT NULL, ingested_at_ms INTEGER NOT NULL);
)";

class BronzeLayoutTest : public testing::TestDirFixture {
 protected:
  BronzeLayoutTest() : TestDirFixture("lh_bronze_layout_") {}
  void ExpectMovesToTheCurrentLayout(const std::string& table_before, const std::string& new_column,
                                     const std::string& columns);

  void IngestRecording(Database* db, const std::string& recording) {
    Status s = db->Ingest(testing::RecentChange(recording));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // Every recording; *rows = Bronze's rows then (more than 8,000).
  void IngestAllRecordings(Database* db, std::string* rows) {
    for (const std::string& file : testing::AllRecordings()) {
      ASSERT_TRUE(db->Ingest(file).ok()) << file;
    }
    *rows = Scalar(db, "SELECT count(*) FROM bronze_events");
    ASSERT_GT(std::stoi(*rows), 8000);
  }
  // Every row of bronze_events, the spec's columns, as one text.
  std::string BronzeRows(Database* db) {
    return Scalar(db,
                  "SELECT count(*) || ':' || group_concat(r, char(10)) FROM (SELECT quote(bronze_id) || '|' || "
                  "quote(event_id) || '|' || quote(source_id) || '|' || quote(source_offset) || '|' || quote(sse_id) "
                  "|| '|' || quote(kafka_topic) || '|' || quote(kafka_partition) || '|' || quote(kafka_offset) || '|' "
                  "|| quote(event_time) || '|' || quote(event_date) || '|' || quote(event_hour) || '|' || "
                  "quote(ingested_at) || '|' || quote(domain) || '|' || quote(payload) AS r "
                  "FROM bronze_events ORDER BY bronze_id)");
  }
};

// SQLite computes a row's generated columns as it inserts it, `decoded` too; the ingester's rows
// do not decode their payloads then (engine/bronze_codec.h, BronzeInsertScope): an insert trigger
// sees `decoded` NULL, and every row reads it afterwards.
TEST_F(BronzeLayoutTest, TheIngesterDoesNotDecodeWhatItWrites) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE TABLE seen (decoded); CREATE TRIGGER analysts_seen AFTER INSERT ON bronze_events "
                          "BEGIN INSERT INTO seen VALUES (NEW.decoded); END;").ok());
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) || ':' || count(decoded) FROM seen"), "2387:0");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(decoded) || ':' || (count(decoded ->> 'rc_id') > 2000) FROM bronze_events"),
            "2387:1");
}

// One event with the given id and the JSON members after "meta"'s id.
std::string Event(int id, const std::string& meta_rest, const std::string& rest) {
  return "{\"meta\":{\"id\":\"e" + std::to_string(id) + "\"" + meta_rest + "},\"type\":\"edit\"," +
         "\"title\":\"T\",\"user\":\"U\",\"wiki\":\"enwiki\"" + rest + "}\n";
}

TEST_F(BronzeLayoutTest, TimesAndTopicsReadAsTheyWereDelivered) {
  auto db = Open();
  std::string rows;
  ASSERT_NO_FATAL_FAILURE(IngestAllRecordings(db.get(), &rows));
  // Every row's topic is its event's meta.topic (NULL where it has none).
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events "
                             "WHERE kafka_topic IS json_extract(lh_raw(payload), '$.meta.topic')"),
            rows);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(DISTINCT kafka_topic) FROM bronze_events WHERE typeof(kafka_topic_coded) = 'integer'"),
            "2");
  // The texts are what SQLite's strftime spells from the milliseconds, and they are the event's
  // meta.dt (to the millisecond) where it has one.
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE "
                             "event_time = strftime('%Y-%m-%d %H:%M:%f', event_time_ms / 1000.0, 'unixepoch') AND "
                             "ingested_at = strftime('%Y-%m-%d %H:%M:%f', ingested_at_ms / 1000.0, 'unixepoch') AND "
                             "event_date = substr(event_time, 1, 10) AND event_hour = CAST(substr(event_time, 12, 2) AS INTEGER)"),
            rows);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM (SELECT event_time, json_extract(lh_raw(payload), '$.meta.dt') AS dt "
                             "FROM bronze_events) WHERE dt IS NOT NULL AND "
                             "abs(julianday(event_time) - julianday(dt)) * 86400000.0 >= 0.5"),
            "0");
  EXPECT_GT(std::stoi(Scalar(db.get(), "SELECT count(*) FROM bronze_events "
                                       "WHERE json_extract(lh_raw(payload), '$.meta.dt') IS NOT NULL")),
            8000);
  // Silver's times (spelled in C++ as bronze_parsed reads the milliseconds) are Bronze's texts.
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) = (SELECT count(*) FROM silver_events) FROM silver_events AS s "
                             "JOIN bronze_events AS b USING (bronze_id) "
                             "WHERE s.event_time = b.event_time AND s.ingested_at = b.ingested_at"),
            "1");
}

TEST_F(BronzeLayoutTest, TimesAtTheEdgesAndOtherTopics) {
  // (meta's members after its id, the event's after its common ones, the event_time Bronze must
  // show, the kafka_topic it must show: empty for NULL)
  struct Case {
    std::string meta, rest, event_time, topic;
  };
  const Case cases[] = {
      {",\"dt\":\"2024-02-07T10:15:30.123Z\",\"topic\":\"eqiad.mediawiki.recentchange\"", "",
       "2024-02-07 10:15:30.123", "eqiad.mediawiki.recentchange"},
      {",\"topic\":\"codfw.mediawiki.recentchange\"", ",\"timestamp\":1707300930", "2024-02-07 10:15:30.000",
       "codfw.mediawiki.recentchange"},
      {",\"topic\":\"eqiad.mediawiki.revision-create\"", ",\"timestamp\":-1", "1969-12-31 23:59:59.000",
       "eqiad.mediawiki.revision-create"},
      {",\"dt\":\"1969-12-31T23:59:59.999Z\",\"topic\":\"1\"", "", "1969-12-31 23:59:59.999", "1"},
      {",\"dt\":\"1900-01-01T00:00:00.001Z\",\"topic\":\"2\"", "", "1900-01-01 00:00:00.001", "2"},
      {",\"dt\":\"2001-01-15T00:00:00+01:00\",\"topic\":\"\"", "", "2001-01-14 23:00:00.000", ""},
      // Beyond what the text can spell: the nearer end (a timestamp this large used to overflow).
      {"", ",\"timestamp\":99999999999999999", "9999-12-31 23:59:59.999", ""},
      {"", ",\"timestamp\":-99999999999999999", "0000-01-01 00:00:00.000", ""},
      {",\"dt\":\"0000-01-01T00:30:00+01:00\"", "", "0000-01-01 00:00:00.000", ""},
  };
  std::string file;
  for (size_t i = 0; i < std::size(cases); ++i) file += Event(static_cast<int>(i), cases[i].meta, cases[i].rest);
  const std::string path = Write("edges.jsonl", file);
  auto db = Open();
  ASSERT_TRUE(db->Ingest(path).ok());
  for (size_t i = 0; i < std::size(cases); ++i) {
    const std::string id = "'e" + std::to_string(i) + "'";
    SCOPED_TRACE(id);
    EXPECT_EQ(Scalar(db.get(), "SELECT event_time FROM bronze_events WHERE event_id = " + id), cases[i].event_time);
    EXPECT_EQ(Scalar(db.get(), "SELECT event_date || ' ' || event_hour FROM bronze_events WHERE event_id = " + id),
              cases[i].event_time.substr(0, 10) + " " + std::to_string(std::stoi(cases[i].event_time.substr(11, 2))));
    EXPECT_EQ(Scalar(db.get(), "SELECT coalesce(kafka_topic, '(null)') FROM bronze_events WHERE event_id = " + id),
              cases[i].topic.empty() ? "(null)" : cases[i].topic);
    // read_events shows the file's events with the same times.
    EXPECT_EQ(Scalar(db.get(), "SELECT event_time FROM read_events('" + path + "') WHERE event_id = " + id),
              cases[i].event_time);
  }
  // The generated columns spell 20,000 times spread over years 0000-9999 (a fifth before 1970) as
  // SQLite's strftime does (rows written by hand: nothing here is refreshed).
  ASSERT_TRUE(db->Execute(std::string("INSERT INTO bronze_events (event_id_coded, source_id, payload, event_time_ms, "
                                      "ingested_at_ms) SELECT 'sweep' || value, 1, x'00', ms, ms FROM (") +
                          testing::kSweepTimesSql + ")").ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE event_id LIKE 'sweep%' "
                             "AND event_time = strftime('%Y-%m-%d %H:%M:%f', event_time_ms / 1000.0, 'unixepoch') "
                             "AND ingested_at = event_time"),
            "20000");
  EXPECT_GT(std::stoi(Scalar(db.get(), "SELECT sum(event_time_ms < 0) FROM bronze_events WHERE event_id LIKE 'sweep%'")),
            2000);
  // The arrival time is spelled the same way (an arrival before 1970 can only be written by hand).
  ASSERT_TRUE(db->Execute("UPDATE bronze_events SET ingested_at_ms = -1 WHERE event_id = 'e0'").ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT ingested_at FROM bronze_events WHERE event_id = 'e0'"), "1969-12-31 23:59:59.999");
  // A topic named '1' is not the first of the public stream's.
  EXPECT_EQ(Scalar(db.get(), "SELECT typeof(kafka_topic_coded) FROM bronze_events WHERE event_id = 'e3'"), "text");
}

TEST_F(BronzeLayoutTest, EventIdsReadAsTheyWereDelivered) {
  auto db = Open();
  std::string rows;
  ASSERT_NO_FATAL_FAILURE(IngestAllRecordings(db.get(), &rows));
  // Every id is its event's meta.id (or a content id where it has none); a UUID as Wikimedia
  // writes it is stored as its 16 bytes, anything else as it came.
  std::string uuid_glob;
  for (int i = 0; i < 36; ++i) uuid_glob += (i == 8 || i == 13 || i == 18 || i == 23) ? "-" : "[0-9a-f]";
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM (SELECT event_id, event_id_coded, "
                             "json_extract(lh_raw(payload), '$.meta.id') AS meta_id FROM bronze_events) "
                             "WHERE CASE WHEN meta_id <> '' THEN event_id = meta_id ELSE event_id LIKE 'lh1-%' END "
                             "AND (typeof(event_id_coded) = 'blob') = (event_id GLOB '" + uuid_glob + "')"),
            rows);
  EXPECT_GT(std::stoi(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE typeof(event_id_coded) = 'blob'")),
            8000);
  // The bytes sort as the texts do (the writer's event_id order and the index agree).
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(event_id) FROM (SELECT event_id FROM bronze_events "
                             "WHERE typeof(event_id_coded) = 'blob' ORDER BY event_id_coded)"),
            Scalar(db.get(), "SELECT group_concat(event_id) FROM (SELECT event_id FROM bronze_events "
                             "WHERE typeof(event_id_coded) = 'blob' ORDER BY event_id)"));
  // bronze_parsed (spelling in C++) and Silver give the same ids.
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_parsed(0, (SELECT max(bronze_id) FROM bronze_events)) AS p "
                             "JOIN bronze_events AS b USING (bronze_id) WHERE p.event_id = b.event_id"),
            rows);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) = (SELECT count(*) FROM silver_events) FROM silver_events AS s "
                             "JOIN bronze_events AS b USING (bronze_id) WHERE s.event_id = b.event_id"),
            "1");
  // A lookup by event_id_code() is one search of the unique index.
  std::vector<std::vector<std::string>> plan;  // (id, parent, notused, detail)
  ASSERT_TRUE(db->Query("EXPLAIN QUERY PLAN SELECT payload FROM bronze_events "
                        "WHERE event_id_coded = event_id_code('bb5be682-950d-4268-85e0-c89628107921')", &plan).ok());
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NE(plan[0].back().find("USING INDEX sqlite_autoindex_bronze_events_1 (event_id_coded=?)"), std::string::npos)
      << plan[0].back();
}

TEST_F(BronzeLayoutTest, IdsThatAreNotWikimediasUuidsStayAsTheyCame) {
  const std::string uuid = "8a20529b-9bf8-493a-a0b7-e5e0f769c80c";
  const std::string ids[] = {uuid, "8A20529B-9BF8-493A-A0B7-E5E0F769C80C", uuid, uuid.substr(0, 35),
                             "8a20529b9bf8493aa0b7e5e0f769c80c", "e1", uuid.substr(0, 35) + "g"};
  std::string file;
  for (const std::string& id : ids) {
    file += "{\"meta\":{\"id\":\"" + id + "\",\"dt\":\"2024-02-07T10:15:30Z\",\"domain\":\"en.wikipedia.org\"},"
            "\"type\":\"edit\",\"title\":\"T\",\"user\":\"U\",\"wiki\":\"enwiki\"}\n";
  }
  auto db = Open();
  IngestStats stats;
  ASSERT_TRUE(db->Ingest(Write("ids.jsonl", file), &stats).ok());
  EXPECT_EQ(stats.inserted, 6u);
  EXPECT_EQ(stats.duplicates, 1u);  // the UUID's second delivery; its upper-case twin is another id
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(typeof(event_id_coded) || ' ' || event_id, ',') FROM "
                             "(SELECT * FROM bronze_events ORDER BY source_offset)"),
            "blob " + uuid + ",text 8A20529B-9BF8-493A-A0B7-E5E0F769C80C,text " + uuid.substr(0, 35) +
                ",text 8a20529b9bf8493aa0b7e5e0f769c80c,text e1,text " + uuid.substr(0, 35) + "g");
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(event_id, ',') FROM (SELECT s.event_id FROM silver_events AS s "
                             "JOIN bronze_events AS b USING (bronze_id) ORDER BY b.source_offset)"),
            uuid + ",8A20529B-9BF8-493A-A0B7-E5E0F769C80C," + uuid.substr(0, 35) +
                ",8a20529b9bf8493aa0b7e5e0f769c80c,e1," + uuid.substr(0, 35) + "g");
  for (const std::string& id : ids) {
    EXPECT_EQ(Scalar(db.get(), "SELECT event_id FROM bronze_events WHERE event_id_coded = event_id_code('" + id + "')"),
              id);
  }
}

// Puts the database back into an older Bronze layout (`table_before`, its `columns` filled from the
// current one's) with an analyst's index, trigger and view on Bronze, reopens it, and
// checks that the move to the current layout kept every row, the analyst's objects, and the
// pipeline going.
void BronzeLayoutTest::ExpectMovesToTheCurrentLayout(const std::string& table_before, const std::string& new_column,
                                                     const std::string& columns) {
  auto db = Open();
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  IngestRecording(db.get(), "wikidata-editgroups/eg_revert.json");
  const std::string rows = BronzeRows(db.get());
  const std::string silver = Scalar(db.get(), "SELECT count(*) || ':' || sum(length(event_id)) FROM silver_events");
  // Back to the layout of a database made before, with a schema version that makes the next open
  // apply the scripts.
  Status back = db->Execute(
      "BEGIN; PRAGMA legacy_alter_table = ON; ALTER TABLE bronze_events RENAME TO b_new;" + table_before +
      "INSERT INTO bronze_events (" + columns + ") SELECT " + columns + " FROM b_new;"
      "DROP TABLE b_new; PRAGMA legacy_alter_table = OFF;"
      "CREATE INDEX analysts_by_topic ON bronze_events (kafka_topic, event_time);"
      "CREATE TABLE analysts_log (n INTEGER);"
      "CREATE TRIGGER analysts_count AFTER UPDATE ON bronze_events BEGIN INSERT INTO analysts_log VALUES (1); END;"
      "CREATE VIEW analysts_hours AS SELECT event_date, event_hour, count(*) AS n FROM bronze_events GROUP BY 1, 2;"
      "PRAGMA user_version = 0; COMMIT;");
  ASSERT_TRUE(back.ok()) << back.ToString();
  const std::string has_new_column =
      "SELECT count(*) FROM pragma_table_xinfo('bronze_events') WHERE name = '" + new_column + "'";
  ASSERT_EQ(Scalar(db.get(), has_new_column), "0");
  ASSERT_EQ(BronzeRows(db.get()), rows);
  const std::string uuids = Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE typeof(event_id_code(event_id)) = 'blob'");
  ASSERT_GT(std::stoi(uuids), 2000);
  const std::string hours = Scalar(db.get(), "SELECT group_concat(event_date || event_hour || ':' || n) FROM analysts_hours");
  db.reset();

  db = Open();
  EXPECT_EQ(Scalar(db.get(), has_new_column), "1");
  EXPECT_EQ(BronzeRows(db.get()), rows);
  // `decoded` first, and of no declared type (sql/schema_10_bronze.sql says why).
  EXPECT_EQ(Scalar(db.get(), "SELECT name || ':' || type FROM pragma_table_xinfo('bronze_events') WHERE cid = 0"),
            "decoded:");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE json_valid(decoded)"), rows.substr(0, rows.find(':')));
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE typeof(kafka_topic_coded) = 'text'"), "0");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE typeof(event_id_coded) = 'blob'"), uuids);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) || ':' || sum(length(event_id)) FROM silver_events"), silver);
  // The analyst's objects are there and work; the pipeline's own triggers too.
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_schema "
                             "WHERE tbl_name = 'bronze_events' AND sql IS NOT NULL AND type <> 'table' ORDER BY name)"),
            "analysts_by_topic,analysts_count,dq_bronze_repaired_d,dq_bronze_repaired_u");
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(event_date || event_hour || ':' || n) FROM analysts_hours"), hours);
  std::vector<std::vector<std::string>> plan;  // (id, parent, notused, detail)
  ASSERT_TRUE(db->Query("EXPLAIN QUERY PLAN SELECT count(*) FROM bronze_events "
                        "WHERE kafka_topic = 'codfw.mediawiki.recentchange'", &plan).ok());
  ASSERT_FALSE(plan.empty());
  EXPECT_NE(plan[0].back().find("analysts_by_topic"), std::string::npos) << plan[0].back();
  const std::string version = Scalar(db.get(), "SELECT value FROM lh_state WHERE key = 'dq_version'");
  ASSERT_TRUE(db->Execute("UPDATE bronze_events SET domain = domain WHERE bronze_id = 1").ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM analysts_log"), "1");
  EXPECT_EQ(Scalar(db.get(), "SELECT value FROM lh_state WHERE key = 'dq_version'"), std::to_string(std::stoi(version) + 1));
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'lh_bronze_events_before%'"), "0");
  EXPECT_EQ(Scalar(db.get(), "PRAGMA integrity_check"), "ok");
  // And the pipeline goes on over it: the next recording's rows arrive, none twice (a recording
  // ingested again adds nothing: its ids meet the moved ones), and Gold still equals its
  // recomputation from Silver.
  const std::string before_more = Scalar(db.get(), "SELECT count(*) FROM bronze_events");
  IngestRecording(db.get(), "yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), before_more);
  IngestRecording(db.get(), "sat99496-wikistream-lakehouse/recentchanges_sample.jsonl");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) = count(DISTINCT event_id) FROM bronze_events"), "1");
  uint64_t diff = 1;
  ASSERT_TRUE(CheckGoldAgainstRecompute(db->handle(), &diff).ok());
  EXPECT_EQ(diff, 0u);
}

TEST_F(BronzeLayoutTest, ADatabaseWithTextTimesMovesToTheCurrentLayout) {
  ExpectMovesToTheCurrentLayout(
      kBronzeTableBefore, "event_time_ms",
      "bronze_id, event_id, source_id, source_offset, sse_id, kafka_topic, kafka_partition, kafka_offset, "
      "event_time, ingested_at, domain, payload");
}

TEST_F(BronzeLayoutTest, ADatabaseWithoutDecodedMovesToTheCurrentLayout) {
  ExpectMovesToTheCurrentLayout(
      kBronzeTableBeforeDecoded, "decoded",
      "bronze_id, source_id, source_offset, sse_id, kafka_topic_coded, kafka_partition, kafka_offset, "
      "domain, payload, event_id_coded, event_time_ms, ingested_at_ms");
}

TEST_F(BronzeLayoutTest, ADatabaseWithTextEventIdsMovesToTheCurrentLayout) {
  ExpectMovesToTheCurrentLayout(
      kBronzeTableBeforeCodedIds, "event_id_coded",
      "bronze_id, event_id, source_id, source_offset, sse_id, kafka_topic_coded, kafka_partition, kafka_offset, "
      "domain, payload, event_time_ms, ingested_at_ms");
}

}  // namespace
}  // namespace litehouse

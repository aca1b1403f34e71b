// Times, event ids, domains and the event parser.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/time_util.h"
#include "engine/wiki_domain.h"

namespace litehouse::internal {
namespace {

TEST(Time, ParsesEveryFormOfTheRecordings) {
  int64_t ms = 0;
  ASSERT_TRUE(ParseIsoTime("2024-08-22T04:03:29Z", &ms));
  EXPECT_EQ(ms, 1724299409000);
  ASSERT_TRUE(ParseIsoTime("2019-05-30T02:24:57+00:00", &ms));
  EXPECT_EQ(FormatTime(ms), "2019-05-30 02:24:57.000");
  ASSERT_TRUE(ParseIsoTime("2026-02-14T11:50:32.316Z", &ms));
  EXPECT_EQ(FormatTime(ms), "2026-02-14 11:50:32.316");
  ASSERT_TRUE(ParseIsoTime("2026-02-14T11:50:32.316789Z", &ms));
  EXPECT_EQ(FormatTime(ms), "2026-02-14 11:50:32.316");
  ASSERT_TRUE(ParseIsoTime("2024-01-01T01:30:00+02:00", &ms));
  EXPECT_EQ(FormatTime(ms), "2023-12-31 23:30:00.000");
  ASSERT_TRUE(ParseIsoTime("2024-01-01 00:00:00", &ms));
  EXPECT_EQ(FormatTime(ms), "2024-01-01 00:00:00.000");
}

// FormatTime spells Silver's times; Bronze's generated columns spell its stored milliseconds with
// SQLite's datetime(). The two must agree on every time the text can hold: checked against
// SQLite's strftime for the ends, around 1970 and 200,000 times spread over years 0000-9999.
TEST(Time, FormatsAsSqliteSpellsTheSameMilliseconds) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT strftime('%Y-%m-%d %H:%M:%f', ?1 / 1000.0, 'unixepoch')", -1, &st, nullptr),
            SQLITE_OK);
  std::vector<int64_t> times = {kFirstTextTimeMs, kLastTextTimeMs, -86400001, -1001, -1000, -999, -1, 0, 1, 999,
                                1000, 951782400000 /* 2000-02-29 */, 1724299409123};
  uint64_t x = 42;
  for (int i = 0; i < 200000; ++i) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    times.push_back(kFirstTextTimeMs + static_cast<int64_t>((x >> 11) % uint64_t(kLastTextTimeMs - kFirstTextTimeMs + 1)));
  }
  int differ = 0;
  for (int64_t ms : times) {
    sqlite3_bind_int64(st, 1, ms);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    const std::string sqlite(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    if (FormatTime(ms) != sqlite && ++differ <= 5) ADD_FAILURE() << ms << ": " << FormatTime(ms) << " vs " << sqlite;
    sqlite3_reset(st);
  }
  EXPECT_EQ(differ, 0);
  // Beyond the ends: the nearer end.
  EXPECT_EQ(FormatTime(kLastTextTimeMs + 1), "9999-12-31 23:59:59.999");
  EXPECT_EQ(FormatTime(INT64_MIN), "0000-01-01 00:00:00.000");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(Time, RejectsWhatIsNotATime) {
  int64_t ms;
  for (const char* bad : {"", "2024-08-22", "2024-13-01T00:00:00Z", "2024-08-22T04:03:29Q", "yesterday",
                          "2024-08-22T04:03:29.Z", "2024-08-22T25:00:00Z"}) {
    EXPECT_FALSE(ParseIsoTime(bad, &ms)) << bad;
  }
}

TEST(EventId, SameEventCompactOrPrettySameId) {
  std::string compact = R"({"a":1,"b":"x y","c":[1,2]})";
  std::string pretty = "{\n  \"a\": 1,\n  \"b\": \"x y\",\n  \"c\": [ 1, 2 ]\n}";
  EXPECT_EQ(ContentEventId(compact), ContentEventId(pretty));
  EXPECT_NE(ContentEventId(compact), ContentEventId(R"({"a":1,"b":"xy","c":[1,2]})"));
  // Stable across machines and versions: these values must never change (Bronze keys depend on them).
  EXPECT_EQ(ContentEventId("{ }"), "lh1-08f44b07b5901a2539d89fcb07ee7b34");
  EXPECT_EQ(ContentEventId(pretty), "lh1-9c53d89129336672d2c3af462c96870b");
}

TEST(Domain, Projects) {
  EXPECT_EQ(ClassifyDomain("en.wikipedia.org").project, "wikipedia");
  EXPECT_EQ(ClassifyDomain("en.wikipedia.org").language, "en");
  EXPECT_EQ(ClassifyDomain("be-tarask.wikipedia.org").language, "be-tarask");
  EXPECT_EQ(ClassifyDomain("test.wikipedia.org").language, "");
  EXPECT_EQ(ClassifyDomain("www.wikidata.org").project, "wikidata");
  EXPECT_EQ(ClassifyDomain("commons.wikimedia.org").project, "commons");
  EXPECT_EQ(ClassifyDomain("canary").project, "other");
  EXPECT_TRUE(IsIpAddress("2a02:8109:a4bf:e900::1"));
  EXPECT_FALSE(IsIpAddress("1.2.3"));
}

TEST(EventParser, OldestSchemaWithNulls) {
  EventParser p;
  ParsedEvent e;
  std::string reason;
  std::string doc = R"({"bot":false,"id":null,"length":{"new":120,"old":null},"meta":{"domain":"www.wikidata.org",
    "dt":"2018-03-07T10:00:00+00:00","id":"abc"},"namespace":0,"timestamp":1520416800,"title":"Q1","type":"new",
    "user":"X","wiki":"wikidatawiki"})";
  ASSERT_TRUE(p.Parse(doc.data(), doc.size(), doc.size(), &e, &reason)) << reason;
  EXPECT_EQ(e.meta_id, "abc");
  EXPECT_FALSE(e.rc_id.has_value());
  EXPECT_FALSE(e.length_old.has_value());
  EXPECT_EQ(*e.length_new, 120);
  EXPECT_EQ(FormatTime(e.event_time_ms), "2018-03-07 10:00:00.000");
}

TEST(EventParser, ReasonsAPersonCanActOn) {
  EventParser p;
  ParsedEvent e;
  std::string reason;
  auto parse = [&](const std::string& s) { return p.Parse(s.data(), s.size(), s.size(), &e, &reason); };
  EXPECT_FALSE(parse("[1,2]"));
  EXPECT_EQ(reason, "not a JSON object");
  EXPECT_FALSE(parse("{\"a\":tru}"));
  EXPECT_NE(reason.find("not valid JSON"), std::string::npos);
  EXPECT_FALSE(parse("{\"title\":\"x\"}"));
  EXPECT_NE(reason.find("no event time"), std::string::npos);
  EXPECT_FALSE(parse("{\"meta\":{\"dt\":\"soon\"},\"title\":\"x\"}"));
  EXPECT_NE(reason.find("'soon' is not an ISO-8601 time"), std::string::npos);
  EXPECT_FALSE(parse("{\"timestamp\":1700000000}"));
  EXPECT_NE(reason.find("no identity"), std::string::npos);
  EXPECT_FALSE(parse("{\"title\":\"\xff\xfe\",\"timestamp\":1}"));
  EXPECT_NE(reason.find("not valid JSON"), std::string::npos);
  EXPECT_TRUE(parse("{\"title\":\"x\",\"timestamp\":1700000000}"));
}

TEST(JsonPath, ToPointer) {
  std::string p;
  ASSERT_TRUE(JsonPathToPointer("$.meta.domain", &p));
  EXPECT_EQ(p, "/meta/domain");
  ASSERT_TRUE(JsonPathToPointer("$.a[0].b", &p));
  EXPECT_EQ(p, "/a/0/b");
  ASSERT_TRUE(JsonPathToPointer("$[\"a/b\"]", &p));
  EXPECT_EQ(p, "/a~1b");
  ASSERT_TRUE(JsonPathToPointer("meta.dt", &p));
  EXPECT_EQ(p, "/meta/dt");
  EXPECT_FALSE(JsonPathToPointer("$.a[x]", &p));
  EXPECT_FALSE(JsonPathToPointer("$..a", &p));
}

}  // namespace
}  // namespace litehouse::internal

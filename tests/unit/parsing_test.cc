// Times, event ids, domains and the event parser.
#include <gtest/gtest.h>

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

// SseParser against the WHATWG event-stream rules, the real EventStreams frames in
// shared/data/recentchange/sse-examples, and every way a network can split the bytes.
#include "engine/sse_parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "engine/event_stream_client.h"
#include "test_data.h"

namespace litehouse::internal {
namespace {

std::vector<SseEvent> ParseChunks(const std::vector<std::string>& chunks, SseParser* parser = nullptr) {
  SseParser local;
  SseParser& p = parser ? *parser : local;
  std::vector<SseEvent> out;
  for (const std::string& c : chunks) p.Feed(c, [&](SseEvent&& e) { out.push_back(std::move(e)); });
  return out;
}

std::vector<SseEvent> Parse(const std::string& bytes) { return ParseChunks({bytes}); }

TEST(SseParser, EventStreamsFraming) {
  auto events = Parse(":ok\n\nevent: message\nid: [{\"timestamp\":5}]\ndata: {\"a\":1}\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "message");
  EXPECT_EQ(events[0].id, "[{\"timestamp\":5}]");
  EXPECT_EQ(events[0].data, "{\"a\":1}");
}

TEST(SseParser, LineEndingsCrLfAndCrlf) {
  for (std::string eol : {"\n", "\r", "\r\n"}) {
    auto events = Parse("data: a" + eol + "data: b" + eol + eol + "data: c" + eol + eol);
    ASSERT_EQ(events.size(), 2u) << "eol " << static_cast<int>(eol[0]);
    EXPECT_EQ(events[0].data, "a\nb");
    EXPECT_EQ(events[1].data, "c");
  }
}

TEST(SseParser, CrLfSplitAcrossChunksIsOneLineEnd) {
  // "data: a\r" | "\n\r\n": had the \n been taken as a second line end, the event would have been
  // dispatched early and the next blank line would be the one to dispatch nothing.
  auto events = ParseChunks({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a\nb");
}

TEST(SseParser, FieldRules) {
  // No space after the colon; only one space is dropped; a field without colon; unknown fields;
  // comments; a data line with an empty value still makes data.
  auto events = Parse("data:x\ndata:  y\ndata\nfoo: bar\n: comment\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "x\n y\n");
  auto empty = Parse("data:\n\n");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].data, "");
}

TEST(SseParser, NoDataNoDispatchButTheIdSticks) {
  SseParser p;
  auto events = ParseChunks({"id: 7\n\n", "event: x\n\n", "data: d\n\n"}, &p);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "message");  // the type of an event with no data is dropped with it
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(p.last_event_id(), "7");
}

TEST(SseParser, IdWithNulIsIgnoredAndEmptyIdResets) {
  static const char kStream[] = "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\nid\ndata: c\n\n";
  auto events = Parse(std::string(kStream, sizeof kStream - 1));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].id, "1");
  EXPECT_EQ(events[1].id, "1");
  EXPECT_EQ(events[2].id, "");
}

TEST(SseParser, RetryTakesOnlyDigits) {
  SseParser p;
  ParseChunks({"retry: 1500\n", "retry: 12a\n", "retry:\n\n"}, &p);
  EXPECT_EQ(p.retry_ms(), 1500);
}

TEST(SseParser, ErrorEventsKeepTheirType) {
  auto events = Parse("event: error\ndata: {\"message\":\"bad\"}\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "error");
}

TEST(SseParser, LeadingBomIsDropped) {
  auto events = ParseChunks({"\xEF\xBB", "\xBF" "data: a\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a");
}

TEST(SseParser, IncompleteEventAtDisconnectIsNeverDispatched) {
  SseParser p;
  auto events = ParseChunks({"id: 1\ndata: whole\n\nid: 2\ndata: cut off in the mid"}, &p);
  ASSERT_EQ(events.size(), 1u);
  p.Reset();  // the connection dropped
  EXPECT_EQ(p.last_event_id(), "1");  // resume after the last complete event
  events = ParseChunks({"dle\n\n", "data: next\n\n"}, &p);
  ASSERT_EQ(events.size(), 1u);  // "dle" began a new line on the new connection: not data
  EXPECT_EQ(events[0].data, "next");
  EXPECT_EQ(events[0].id, "1");
}

TEST(SseParser, OversizedEventIsDelimitedAndTruncated) {
  SseParser p(1000);
  std::string big(5000, 'x');
  auto events = ParseChunks({"data: " + big.substr(0, 3000), big.substr(3000) + "\n\ndata: small\n\n"}, &p);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].oversized);
  EXPECT_EQ(events[0].data_bytes, 5000u);
  EXPECT_LE(events[0].data.size(), SseParser::kKeptBytes);
  EXPECT_FALSE(events[1].oversized);
  EXPECT_EQ(events[1].data, "small");
  EXPECT_LT(p.buffered_bytes(), 2000u);
}

TEST(SseParser, ManyDataLinesCannotGrowPastTheLimit) {
  SseParser p(1000);
  std::string stream;
  for (int i = 0; i < 1000; ++i) stream += "data: 0123456789\n";
  size_t peak = 0;
  std::vector<SseEvent> events;
  for (char c : stream) {
    p.Feed(std::string_view(&c, 1), [&](SseEvent&& e) { events.push_back(std::move(e)); });
    peak = std::max(peak, p.buffered_bytes());
  }
  p.Feed("\n", [&](SseEvent&& e) { events.push_back(std::move(e)); });
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].oversized);
  EXPECT_LE(peak, 1000u + SseParser::kKeptBytes);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(SseParser, RealFramesInEveryChunking) {
  const std::string frame = ReadFile(testing::RecentChange("sse-examples/dataplumbhub_readme_frame.sse.txt"));
  ASSERT_FALSE(frame.empty());
  const std::string stream = ":ok\n\nevent: message\n" + frame + "\n\n";
  auto whole = Parse(stream);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(EventIdPosition(whole[0].id), 1746030241001);
  EXPECT_EQ(whole[0].data.substr(0, 33), "{\"$schema\":\"/mediawiki/recentchan");
  std::mt19937 rng(1);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> chunks;
    for (size_t i = 0; i < stream.size();) {
      size_t n = std::uniform_int_distribution<size_t>(1, 40)(rng);
      chunks.push_back(stream.substr(i, n));
      i += n;
    }
    auto events = ParseChunks(chunks);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, whole[0].data);
    EXPECT_EQ(events[0].id, whole[0].id);
  }
}

TEST(SseParser, PrettyPrintedFrameIsNotOneEvent) {
  // weemen's transcript has its JSON over many lines without data: prefixes: not valid SSE, so
  // the data is only the first line, which then fails JSON parsing downstream (a reject).
  const std::string frame = ReadFile(testing::RecentChange("sse-examples/weemen_response-example.sse.txt"));
  auto events = Parse(frame + "\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "{");
}

TEST(EventStreamIds, RewindAndPosition) {
  const std::string id =
      "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"timestamp\":1746030241001},"
      "{\"topic\":\"codfw.mediawiki.recentchange\",\"partition\":0,\"offset\":-1}]";
  EXPECT_EQ(RewindEventId(id),
            "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"timestamp\":1746030241000},"
            "{\"topic\":\"codfw.mediawiki.recentchange\",\"partition\":0,\"offset\":-1}]");
  EXPECT_EQ(EventIdPosition(id), 1746030241001);
  EXPECT_EQ(EventIdPosition("[{\"topic\":\"t\",\"partition\":0,\"offset\":42}]"), 42);
  EXPECT_EQ(EventIdPosition("garbage"), 0);
  EXPECT_EQ(RewindEventId("garbage"), "garbage");
}

TEST(Reconnect, Decisions) {
  StreamClientOptions o;
  o.backoff_initial_s = 1;
  o.backoff_max_s = 30;
  ConnectionOutcome forbidden;
  forbidden.http_status = 403;
  EXPECT_TRUE(DecideReconnect(forbidden, 0, 0.5, o, -1).fatal);
  EXPECT_NE(DecideReconnect(forbidden, 0, 0.5, o, -1).message.find("--contact"), std::string::npos);
  ConnectionOutcome missing;
  missing.http_status = 404;
  EXPECT_TRUE(DecideReconnect(missing, 0, 0.5, o, -1).fatal);

  ConnectionOutcome busy;
  busy.http_status = 429;
  busy.retry_after_s = 20;
  auto d = DecideReconnect(busy, 0, 0.5, o, -1);
  EXPECT_FALSE(d.fatal);
  EXPECT_GE(d.delay_s, 20);  // Retry-After wins over a shorter backoff

  ConnectionOutcome refused;
  refused.curl_code = 7;  // CURLE_COULDNT_CONNECT
  // Full jitter: uniform in [0, min(cap, initial * 2^attempt)).
  EXPECT_DOUBLE_EQ(DecideReconnect(refused, 0, 0.999, o, -1).delay_s, 0.999);
  EXPECT_DOUBLE_EQ(DecideReconnect(refused, 3, 0.5, o, -1).delay_s, 4);
  EXPECT_DOUBLE_EQ(DecideReconnect(refused, 20, 0.5, o, -1).delay_s, 15);  // capped at 30
  EXPECT_DOUBLE_EQ(DecideReconnect(refused, 3, 0.0, o, -1).delay_s, 0);

  ConnectionOutcome routine;  // the ~15-minute close after a stream of events
  routine.http_status = 200;
  routine.events = 1000;
  d = DecideReconnect(routine, 5, 0.5, o, -1);
  EXPECT_TRUE(d.reset_backoff);
  EXPECT_LE(d.delay_s, 1);
  EXPECT_DOUBLE_EQ(DecideReconnect(routine, 5, 0.5, o, 3000).delay_s, 1.5);  // the server's retry:

  ConnectionOutcome dns;
  dns.curl_code = 6;  // CURLE_COULDNT_RESOLVE_HOST
  dns.curl_error = "Could not resolve host: x.invalid";
  EXPECT_EQ(DecideReconnect(dns, 0, 0.5, o, -1).message.rfind("DNS:", 0), 0u);
}

}  // namespace
}  // namespace litehouse::internal

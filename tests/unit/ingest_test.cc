// Ingestion into Bronze: every shape, exactly once, resume after a crash, compressed inputs,
// rejects with positions, and readers that never see a half-written layer.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "engine/bronze_codec.h"
#include "engine/payload_prefetcher.h"
#include "engine/sqlite_util.h"
#include "gzip_util.h"
#include "litehouse/litehouse.h"
#include "test_data.h"
#include "test_dir_fixture.h"

namespace litehouse {
namespace {

namespace fs = std::filesystem;

class IngestTest : public testing::TestDirFixture {
 protected:
  IngestTest() : TestDirFixture("lh_ingest_") {}
  // The first n events of a real recording, as their JSON text.
  std::vector<std::string> FirstRealEvents(Database* db, int n) {
    std::vector<std::string> events;
    internal::Stmt read;
    EXPECT_TRUE(read.Prepare(db->handle(), "SELECT json FROM read_events(?) LIMIT ?").ok());
    read.BindText(1, testing::RecentChange("yearfunla-wikiMedia_stream_monitor/recentchange_raw.json"));
    read.BindInt(2, n);
    while (read.Step() == SQLITE_ROW) events.push_back(read.ColumnText(0));
    return events;
  }
};

TEST_F(IngestTest, AllRecordingsExactlyOnce) {
  auto db = Open();
  uint64_t documents = 0, inserted = 0, duplicates = 0;
  for (const std::string& f : testing::AllRecordings()) {
    IngestStats st;
    ASSERT_TRUE(IngestFile(db->handle(), f, IngestOptions(), &st).ok()) << f;
    EXPECT_EQ(st.rejects, 0u) << f;
    EXPECT_EQ(st.documents, st.inserted + st.duplicates) << f;
    documents += st.documents;
    inserted += st.inserted;
    duplicates += st.duplicates;
  }
  EXPECT_EQ(documents, 2387u + 244 + 10 + 118 + 50 + 46 + 133 + 200 + 4 + 4 + 3818 + 82 + 1789);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), std::to_string(inserted));
  EXPECT_EQ(Scalar(db.get(), "SELECT count(DISTINCT event_id) FROM bronze_events"), std::to_string(inserted));
  EXPECT_GE(duplicates, 42u + 10u);  // the wrapper's repeats and test.json's copies, at least
  // Byte-exact: every payload decompresses to a valid JSON object whose meta.id is its event_id.
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE NOT json_valid(lh_raw(payload)) "
                             "OR (event_id NOT LIKE 'lh1-%' AND json_extract(lh_raw(payload), '$.meta.id') <> event_id)"),
            "0");
  RefreshStats rs;
  ASSERT_TRUE(db->Refresh(&rs).ok());
  EXPECT_EQ(rs.silver_rejects, 1u);  // the Flow event of type "142"
  EXPECT_EQ(rs.bronze_rows, inserted);
  EXPECT_EQ(std::to_string(rs.silver_rows), Scalar(db.get(), "SELECT count(*) FROM silver_events"));
  uint64_t diff = 1;
  ASSERT_TRUE(CheckGoldAgainstRecompute(db->handle(), &diff).ok());
  EXPECT_EQ(diff, 0u);
}

TEST_F(IngestTest, DictionaryCompressionKeepsPayloadsSmall) {
  auto db = Open();
  IngestStats st;
  ASSERT_TRUE(IngestFile(db->handle(), testing::RecentChange("yearfunla-wikiMedia_stream_monitor/recentchange_raw.json"),
                         IngestOptions(), &st).ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM lh_dictionaries"), "1");
  double avg = std::stod(Scalar(db.get(), "SELECT avg(length(payload)) FROM bronze_events"));
  double raw = std::stod(Scalar(db.get(), "SELECT avg(length(lh_raw(payload))) FROM bronze_events"));
  EXPECT_GT(raw, 1000);
  EXPECT_LT(avg, raw / 3) << "payload " << avg << " bytes for " << raw << " bytes of JSON";
}

// A batch holds tens of thousands of payloads until they are written: its frames lie back to back
// in the batch's arena (a string per payload sized for zstd's worst case made a 5M ingest's peak
// RSS ~90 MB larger), and each decodes to its event after the arena has grown.
TEST_F(IngestTest, CompressedPayloadsLieBackToBackAndDecode) {
  auto db = Open();
  const std::vector<std::string> events = FirstRealEvents(db.get(), 500);
  ASSERT_EQ(events.size(), 500u);
  std::vector<std::string_view> samples(events.begin(), events.end());
  for (bool trained : {false, true}) {
    internal::BronzeCompressor compressor;
    if (trained) {
      std::string dictionary;
      compressor.Train(samples, &dictionary);
      ASSERT_TRUE(compressor.has_dictionary());
      ASSERT_TRUE(internal::BronzeCompressor::Store(db->handle(), dictionary, samples.size()).ok());
    }
    internal::ByteArena arena;
    arena.Append("id-before");
    std::vector<internal::ArenaSpan> frames;
    for (const std::string& e : events) {
      const size_t end = arena.size();
      ASSERT_TRUE(compressor.Compress(e, &arena, &frames.emplace_back()).ok());
      ASSERT_EQ(frames.back().offset, end);
      ASSERT_EQ(arena.size(), end + frames.back().size) << "trained " << trained;
      EXPECT_LT(frames.back().size, e.size());
    }
    internal::BronzeDecompressor decompressor;
    for (size_t i = 0; i < events.size(); ++i) {
      std::string text;
      const std::string_view frame = arena.View(frames[i]);
      ASSERT_TRUE(decompressor.Decompress(db->handle(), frame.data(), frame.size(), &text).ok());
      ASSERT_EQ(text, events[i]) << "trained " << trained << ", event " << i;
    }
  }
}

// A file's batch is inserted in event_id order (engine/bronze_writer.h, RowOrder::kEventId):
// bronze_id follows the ids, each row keeps its own source offset, and of several deliveries of
// one id the first in the file is the one kept — also when the batch is large enough for an
// unstable sort to reorder equal ids.
TEST_F(IngestTest, FileBatchesAreNumberedByEventIdAndTheFirstDeliveryStays) {
  auto db = Open();
  const std::vector<std::string> events = FirstRealEvents(db.get(), 48);
  ASSERT_EQ(events.size(), 48u);
  // Eight ids, in descending order, each delivered six times; delivery k of id i has title "i-k".
  std::string file;
  internal::Stmt set;
  ASSERT_TRUE(set.Prepare(db->handle(), "SELECT json_set(?, '$.meta.id', ?, '$.title', ?)").ok());
  for (size_t n = 0; n < events.size(); ++n) {
    const size_t id = 7 - n % 8, delivery = n / 8;
    set.BindText(1, events[n]);
    set.BindText(2, "order-" + std::to_string(id));
    set.BindText(3, std::to_string(id) + "-" + std::to_string(delivery));
    ASSERT_EQ(set.Step(), SQLITE_ROW);
    file += set.ColumnText(0) + "\n";
    set.Reset();
  }
  const std::string path = Write("ordered.jsonl", file);
  IngestStats st;
  ASSERT_TRUE(IngestFile(db->handle(), path, IngestOptions(), &st).ok());
  EXPECT_EQ(st.inserted, 8u);
  EXPECT_EQ(st.duplicates, 40u);
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(event_id || ' ' || json_extract(lh_raw(payload), '$.title'), ', ') "
                             "FROM (SELECT * FROM bronze_events ORDER BY bronze_id)"),
            "order-0 0-0, order-1 1-0, order-2 2-0, order-3 3-0, order-4 4-0, order-5 5-0, order-6 6-0, "
            "order-7 7-0");
  // Each row's source offset is where its own document starts in the file.
  internal::Stmt rows;
  ASSERT_TRUE(rows.Prepare(db->handle(), "SELECT source_offset, lh_raw(payload) FROM bronze_events").ok());
  int checked = 0;
  while (rows.Step() == SQLITE_ROW) {
    const std::string raw = rows.ColumnText(1);
    EXPECT_EQ(file.compare(static_cast<size_t>(rows.ColumnInt(0)), raw.size(), raw), 0) << raw.substr(0, 80);
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

// Memory stays bounded by bytes, not only by event count: 60 events of 700 KB that do not
// compress must not become one batch of 42 MB.
TEST_F(IngestTest, LargeEventsMakeSmallerBatches) {
  const fs::path file = dir_ / "large.jsonl";
  {
    std::ofstream out(file);
    std::mt19937_64 rng(7);
    for (int i = 0; i < 60; ++i) {
      std::string comment(700 * 1024, ' ');
      for (char& c : comment) c = "0123456789abcdef"[rng() % 16];
      out << R"({"meta":{"id":"large-)" << i << R"(","dt":"2024-08-22T00:00:)" << (10 + i % 50)
          << R"(Z","domain":"en.wikipedia.org"},"type":"edit","title":"T)" << i << R"(","comment":")" << comment
          << "\"}\n";
    }
  }
  auto db = Open();
  IngestOptions options;
  options.batch_events = 1000;
  std::vector<uint64_t> batch_events;
  uint64_t seen = 0;
  options.progress = [&](const IngestProgress& p) {
    batch_events.push_back(p.events - seen);
    seen = p.events;
  };
  IngestStats st;
  ASSERT_TRUE(IngestFile(db->handle(), file.string(), options, &st).ok());
  EXPECT_EQ(st.inserted, 60u);
  ASSERT_GE(batch_events.size(), 3u);
  for (uint64_t n : batch_events) EXPECT_LE(n, 25u);  // 16 MiB / 700 KB, plus the one that crosses it
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events WHERE length(lh_raw(payload)) > 700 * 1024"), "60");
}

TEST_F(IngestTest, ResumesAfterACrashWithoutLossOrDuplicates) {
  const std::string file = testing::RecentChange("electricsql-rag/output.json");  // a JSON array
  auto db = Open();
  IngestOptions crashing;
  crashing.batch_events = 25;
  crashing.commit_bytes = 1;  // every batch its own transaction
  int batches = 0;
  crashing.progress = [&](const IngestProgress&) {
    if (++batches == 2) throw std::runtime_error("simulated crash");
  };
  IngestStats st;
  EXPECT_THROW(IngestFile(db->handle(), file, crashing, &st).ok(), std::runtime_error);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), "50");
  EXPECT_EQ(Scalar(db.get(), "SELECT complete FROM lh_sources"), "0");

  IngestStats again;
  ASSERT_TRUE(IngestFile(db->handle(), file, IngestOptions(), &again).ok());
  EXPECT_GT(again.resumed_from, 0u);
  EXPECT_EQ(again.documents, 68u);
  EXPECT_EQ(again.duplicates, 0u);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), "118");
  EXPECT_EQ(Scalar(db.get(), "SELECT complete FROM lh_sources"), "1");

  // The same rows as one uninterrupted ingest.
  auto clean = Open("clean.db");
  ASSERT_TRUE(IngestFile(clean->handle(), file, IngestOptions(), &st).ok());
  ASSERT_TRUE(db->Execute("ATTACH '" + (dir_ / "clean.db").string() + "' AS clean").ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM (SELECT event_id, source_offset, event_time FROM bronze_events "
                             "EXCEPT SELECT event_id, source_offset, event_time FROM clean.bronze_events)"),
            "0");

  IngestStats third;
  ASSERT_TRUE(IngestFile(db->handle(), file, IngestOptions(), &third).ok());
  EXPECT_TRUE(third.already_complete);
}

// Batches share a transaction until commit_bytes of the file: a crash loses the open
// transaction's batches (they are read again), never a committed one, and never doubles one.
TEST_F(IngestTest, BatchesShareATransactionUntilCommitBytes) {
  const std::string file = testing::RecentChange("electricsql-rag/output.json");  // 118 events
  const uint64_t file_size = std::filesystem::file_size(file);
  struct Case {
    uint64_t commit_bytes;
    uint64_t min_rows, max_rows;  // committed when the 4th batch (100 events read) crashes
  } cases[] = {
      {1, 100, 100},            // each batch its own transaction: all four stay
      {file_size / 2, 25, 75},  // about half the file per transaction: the open one is lost
      {UINT64_MAX, 0, 0},       // one transaction for the file: nothing stays
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.commit_bytes);
    auto db = Open("commit-" + std::to_string(c.min_rows) + ".db");
    IngestOptions crashing;
    crashing.batch_events = 25;
    crashing.commit_bytes = c.commit_bytes;
    int batches = 0;
    crashing.progress = [&](const IngestProgress&) {
      if (++batches == 4) throw std::runtime_error("simulated crash");
    };
    IngestStats st;
    EXPECT_THROW(IngestFile(db->handle(), file, crashing, &st).ok(), std::runtime_error);
    const uint64_t rows = std::stoull(Scalar(db.get(), "SELECT count(*) FROM bronze_events"));
    EXPECT_GE(rows, c.min_rows);
    EXPECT_LE(rows, c.max_rows);
    EXPECT_EQ(rows % 25, 0u);  // whole batches
    EXPECT_EQ(Scalar(db.get(), "SELECT row_count FROM lh_layer_state WHERE layer = 'bronze'"), std::to_string(rows));
    // The committed position is where the committed rows end: resuming reads the rest once.
    IngestStats again;
    ASSERT_TRUE(IngestFile(db->handle(), file, IngestOptions(), &again).ok());
    EXPECT_EQ(again.resumed_from > 0, rows > 0);
    EXPECT_EQ(again.inserted, 118u - rows);
    EXPECT_EQ(again.duplicates, 0u);
    EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), "118");
  }
}

// The stats are the caller's choice: without them an ingest or a refresh does the same work.
TEST_F(IngestTest, StatsAreOptional) {
  const std::string file = testing::RecentChange("yearfunla-wikiMedia_stream_monitor/recentchange_raw.json");
  auto db = Open();
  Status s = IngestFile(db->handle(), file, IngestOptions(), /*stats=*/nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), "2387");
  IngestStats st;
  ASSERT_TRUE(IngestFile(db->handle(), file, IngestOptions(), &st).ok());
  EXPECT_TRUE(st.already_complete);
  EXPECT_EQ(st.inserted, 0u);
  s = Refresh(db->handle(), /*stats=*/nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) + (SELECT count(*) FROM silver_rejects) FROM silver_events"), "2387");
}

TEST_F(IngestTest, CompressedInputsGiveTheSameEvents) {
  const std::string plain = testing::RecentChange("amommendes-wikimedia_stream/app_message.json");
  std::string bytes = testing::ReadFile(plain);
  std::string zst;
  ASSERT_TRUE(internal::ZstdCompress(bytes, 3, &zst).ok());
  std::string zst_path = Write("events.json.zst", zst);
  std::string gz_path = Write("events.json.gz", testing::GzipMember(bytes));
  for (const std::string& f : {plain, zst_path, gz_path}) {
    auto db = Open(fs::path(f).filename().string() + ".db");
    IngestStats st;
    ASSERT_TRUE(IngestFile(db->handle(), f, IngestOptions(), &st).ok()) << f;
    EXPECT_EQ(st.inserted, 133u) << f;
    EXPECT_EQ(st.bytes, bytes.size()) << f;
  }
  std::string truncated = Write("cut.json.zst", zst.substr(0, zst.size() / 2));
  auto db = Open();
  IngestStats st;
  Status s = IngestFile(db->handle(), truncated, IngestOptions(), &st);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("zstd"), std::string::npos) << s.message();
}

TEST_F(IngestTest, BrokenDocumentsAreRejectedWithTheirPosition) {
  std::string lines = testing::ReadFile(testing::RecentChange("sat99496-wikistream-lakehouse/recentchanges_sample.jsonl"));
  // Break line 3 (cut it short) and add junk and a document without a time.
  size_t l3 = lines.find('\n', lines.find('\n') + 1) + 1;
  std::string broken = lines.substr(0, l3 + 40) + "\n" + lines.substr(lines.find('\n', l3) + 1) +
                       "this is not json\n{\"title\":\"no time\"}\n[1,2]\n";
  std::string path = Write("broken.jsonl", broken);
  auto db = Open();
  IngestStats st;
  ASSERT_TRUE(IngestFile(db->handle(), path, IngestOptions(), &st).ok());
  EXPECT_EQ(st.inserted, 49u);
  EXPECT_EQ(st.rejects, 4u);  // the cut line, the junk line, the object without a time, and [1,2]
  EXPECT_EQ(Scalar(db.get(), "SELECT reason FROM bronze_rejects ORDER BY source_offset LIMIT 1").substr(0, 7), "line 3,");
  EXPECT_NE(Scalar(db.get(), "SELECT group_concat(reason, ' | ') FROM bronze_rejects").find("no event time"),
            std::string::npos);
  EXPECT_EQ(Scalar(db.get(), "SELECT group_concat(line) FROM bronze_rejects ORDER BY source_offset"), "3,51,52,53");
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_rejects WHERE raw IS NULL OR length(raw) = 0"), "0");
  // Re-ingesting the same file adds no second copy of the rejects.
  ASSERT_TRUE(db->Execute("UPDATE lh_sources SET complete = 0, position = 0, scanner_state = NULL").ok());
  ASSERT_TRUE(IngestFile(db->handle(), path, IngestOptions(), &st).ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_rejects"), "4");
  EXPECT_EQ(st.duplicates, 49u);
}

TEST_F(IngestTest, MissingFileAndNotADatabaseAreClearErrors) {
  auto db = Open();
  IngestStats st;
  Status s = IngestFile(db->handle(), "/nonexistent/events.jsonl", IngestOptions(), &st);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("No such file"), std::string::npos);
  std::string junk = Write("junk.db", std::string(8192, 'x'));
  std::unique_ptr<Database> bad;
  s = Database::Open(junk, &bad);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("is not a database"), std::string::npos) << s.message();
}

// A reader on its own connection, querying while ingest and refresh run, never errs and never
// sees Silver's counter disagree with Silver's rows (each layer is committed whole).
TEST_F(IngestTest, ConcurrentReaderSeesCompleteLayers) {
  auto db = Open();
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, errors{0}, inconsistent{0};
  std::thread reader([&] {
    sqlite3* r = nullptr;
    sqlite3_open_v2((dir_ / "t.db").c_str(), &r, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(r, 5000);
    while (!done) {
      sqlite3_exec(r, "BEGIN", nullptr, nullptr, nullptr);
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(r, "SELECT (SELECT count(*) FROM silver_events), (SELECT row_count FROM lh_layer_state "
                                "WHERE layer = 'silver'), (SELECT coalesce(sum(total_events), 0) FROM gold_hourly_stats)",
                             -1, &st, nullptr) != SQLITE_OK ||
          sqlite3_step(st) != SQLITE_ROW) {
        ++errors;
      } else {
        if (sqlite3_column_int64(st, 0) != sqlite3_column_int64(st, 1) ||
            sqlite3_column_int64(st, 0) != sqlite3_column_int64(st, 2)) {
          ++inconsistent;
        }
        ++reads;
      }
      sqlite3_finalize(st);
      sqlite3_exec(r, "COMMIT", nullptr, nullptr, nullptr);
    }
    sqlite3_close(r);
  });
  for (const std::string& f : testing::AllRecordings()) {
    IngestStats is;
    RefreshStats rs;
    ASSERT_TRUE(db->Ingest(f, &is, &rs).ok()) << f;
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(inconsistent.load(), 0);
}

TEST_F(IngestTest, WritersWaitTheirTurnPastTheBusyTimeout) {
  // Another process's refresh can hold the database for minutes; a writer's transaction waits for
  // it instead of failing when its connection's busy timeout runs out (two `litehouse ingest`s
  // of one database: the second's refresh failed with "database is locked").
  auto db = Open();
  ASSERT_TRUE(db->Ingest(testing::RecentChange("electricsql-rag/output.json")).ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "t.db").string().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::thread holder([other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  sqlite3_busy_timeout(db->handle(), 100);
  const auto started = std::chrono::steady_clock::now();
  {
    internal::Transaction txn(db->handle());
    Status s = txn.Begin();
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000));
  }
  holder.join();
  // Its patience has an end, and the error says so.
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  internal::Transaction txn(db->handle());
  Status s = txn.Begin(std::chrono::milliseconds(300));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("database is locked: another connection kept writing for 0.300 s"), std::string::npos)
      << s.message();
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

// A batch at least as large as Silver writes Silver without its indexes and builds them again
// after (engine/refresh.cc, DeferredSilverIndexes) — all but the partial ones, which it inserts
// into, as a smaller batch does into all. Either way every index on Silver's table
// (silver_events_stored), an analyst's too, is there after with the same definition and holds
// every row (integrity_check compares each index with the table) — also after a batch that a
// data-quality gate held, which rolls back the rebuild with the batch.
TEST_F(IngestTest, LargeBatchRebuildsSilversIndexesWhole) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE INDEX \"analyst's \"\"by user\"\"\" ON silver_events_stored (user_name, event_time)").ok());
  const std::string indexes = "SELECT group_concat(name || ': ' || sql, '; ') FROM (SELECT name, sql FROM "
                              "sqlite_schema WHERE type = 'index' AND tbl_name = 'silver_events_stored' ORDER BY name)";
  const std::string defined = Scalar(db.get(), indexes);
  ASSERT_NE(defined.find("silver_by_hour_wiki_page"), std::string::npos);
  ASSERT_NE(defined.find("silver_large_deletions"), std::string::npos);
  std::vector<std::string> statements;
  sqlite3_trace_v2(db->handle(), SQLITE_TRACE_STMT, [](unsigned, void* ctx, void* stmt, void*) {
    static_cast<std::vector<std::string>*>(ctx)->push_back(sqlite3_sql(static_cast<sqlite3_stmt*>(stmt)));
    return 0;
  }, &statements);
  auto drops = [&] {
    int n = 0;
    for (const std::string& st : statements) {
      if (st.rfind("DROP INDEX", 0) != 0) continue;
      ++n;
      EXPECT_EQ(st.find("silver_large_deletions"), std::string::npos) << "a partial index was dropped";
    }
    statements.clear();
    return n;
  };
  auto intact = [&](const std::string& when) {
    EXPECT_EQ(Scalar(db.get(), indexes), defined) << when;
    EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events_stored INDEXED BY silver_large_deletions "
                               "WHERE is_large_deletion AND event_date > ''"),
              Scalar(db.get(), "SELECT count(*) FROM silver_events_stored NOT INDEXED WHERE is_large_deletion"))
        << when;
    EXPECT_EQ(Scalar(db.get(), "PRAGMA integrity_check"), "ok") << when;
    EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events_stored INDEXED BY silver_by_hour_wiki_page "
                               "WHERE event_date > ''"),
              Scalar(db.get(), "SELECT count(*) FROM silver_events"))
        << when;
  };
  // A first batch held by a blocking rule: rebuilt, then rolled back with the batch — the
  // indexes are as they were. Promoted once the rule is fixed: rebuilt again, now with its rows.
  ASSERT_TRUE(db->Execute("INSERT INTO dq_rules (rule_name, layer, metric_sql, comparison, threshold, severity) "
                          "VALUES ('hold_all', 'silver', 'SELECT 1', '=', 0, 'block')").ok());
  IngestStats first;
  RefreshStats refresh;
  ASSERT_TRUE(db->Ingest(testing::RecentChange("yearfunla-wikiMedia_stream_monitor/recentchange_raw.json"), &first,
                         &refresh).ok());
  EXPECT_EQ(refresh.held_batches, 1u);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM silver_events"), "0");
  EXPECT_EQ(drops(), 2);
  intact("held");
  ASSERT_TRUE(db->Execute("DELETE FROM dq_rules WHERE rule_name = 'hold_all'").ok());
  ASSERT_TRUE(db->Refresh(&refresh).ok());
  EXPECT_EQ(refresh.released_batches, 1u);
  EXPECT_EQ(drops(), 2);
  intact("promoted");
  // (rows before → rows of the batch) 2,386 → 50: kept; 2,436 → 3,818: rebuilt.
  const struct { const char* file; int dropped; } batches[] = {
      {"sat99496-wikistream-lakehouse/recentchanges_sample.jsonl", 0},
      {"wikidata-editgroups/one_qs_batch.json", 2}};
  for (const auto& b : batches) {
    IngestStats ist;
    RefreshStats rst;
    ASSERT_TRUE(db->Ingest(testing::RecentChange(b.file), &ist, &rst).ok()) << b.file;
    EXPECT_GT(rst.silver_rows, 0u) << b.file;
    EXPECT_EQ(drops(), b.dropped) << b.file;
    intact(b.file);
  }
  sqlite3_trace_v2(db->handle(), 0, nullptr, nullptr);
  // (the partial index's check above compared real rows)
  EXPECT_GT(std::stoi(Scalar(db.get(), "SELECT count(*) FROM silver_events WHERE is_large_deletion")), 0);
  uint64_t diff = 1;
  ASSERT_TRUE(CheckGoldAgainstRecompute(db->handle(), &diff).ok());
  EXPECT_EQ(diff, 0u);
}

// bronze_parsed over a long range decodes ahead on a second connection and thread; what it
// returns must be what decoding row by row gives, also when the scan's own connection holds a
// change the other cannot see (then the scan decodes by itself).
TEST_F(IngestTest, PrefetchedDecodingEqualsDecodingRowByRow) {
  auto db = Open();
  for (const std::string& f : testing::AllRecordings()) {
    IngestStats st;
    ASSERT_TRUE(IngestFile(db->handle(), f, IngestOptions(), &st).ok()) << f;
  }
  const std::string rows = Scalar(db.get(), "SELECT max(bronze_id) FROM bronze_events");
  ASSERT_GT(std::stoll(rows), 4096 + 256 + 1000) << "too few rows to start a prefetcher";
  // Every decoded column of every row, as one hash; slices of 1,000 rows are too short to prefetch.
  const std::string columns =
      "sum(length(coalesce(type, '') || coalesce(namespace, '') || coalesce(title, '') || coalesce(user_name, '') || "
      "coalesce(wiki, '') || coalesce(comment, '') || coalesce(log_type, '') || coalesce(log_action, '') || "
      "coalesce(rc_id, '') || coalesce(revision_old, '') || coalesce(revision_new, '') || coalesce(length_old, '') || "
      "coalesce(length_new, '') || coalesce(bot, '') || coalesce(minor, '') || coalesce(patrolled, '') || "
      "coalesce(parse_error, '')) * bronze_id) || ' ' || count(*)";
  const uint64_t prefetched_before = internal::PayloadPrefetcher::RowsServed();
  const std::string whole = Scalar(db.get(), "SELECT " + columns + " FROM bronze_parsed(0, " + rows + ")");
  EXPECT_GT(internal::PayloadPrefetcher::RowsServed(), prefetched_before + 4000) << "no prefetching happened";
  const std::string sliced = Scalar(
      db.get(), "SELECT sum(h) || ' ' || sum(n) FROM (SELECT (SELECT sum(length(coalesce(type, '') || "
                "coalesce(namespace, '') || coalesce(title, '') || coalesce(user_name, '') || coalesce(wiki, '') || "
                "coalesce(comment, '') || coalesce(log_type, '') || coalesce(log_action, '') || coalesce(rc_id, '') || "
                "coalesce(revision_old, '') || coalesce(revision_new, '') || coalesce(length_old, '') || "
                "coalesce(length_new, '') || coalesce(bot, '') || coalesce(minor, '') || coalesce(patrolled, '') || "
                "coalesce(parse_error, '')) * bronze_id) FROM bronze_parsed(k * 1000, k * 1000 + 1000)) AS h, "
                "(SELECT count(*) FROM bronze_parsed(k * 1000, k * 1000 + 1000)) AS n "
                "FROM (WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < " + rows +
                " / 1000) SELECT k FROM s))");
  EXPECT_EQ(whole, sliced);
  EXPECT_EQ(whole.substr(whole.find(' ') + 1), rows);

  // An uncommitted change on the scan's connection: row `last` takes row 1's payload. The scan
  // must see it (the prefetcher, on its own snapshot, cannot).
  ASSERT_TRUE(db->Execute("BEGIN; UPDATE bronze_events SET payload = (SELECT payload FROM bronze_events "
                          "WHERE bronze_id = 1) WHERE bronze_id = " + rows).ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT max(CASE WHEN bronze_id = " + rows + " THEN title END) || ' ' || count(title) "
                             "FROM bronze_parsed(0, " + rows + ")"),
            Scalar(db.get(), "SELECT title FROM bronze_parsed(0, 1)") + " " +
                Scalar(db.get(), "SELECT count(title) FROM bronze_parsed(0, " + rows + ")"));
  ASSERT_TRUE(db->Execute("ROLLBACK").ok());
}

}  // namespace
}  // namespace litehouse

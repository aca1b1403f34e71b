// Incremental refresh = full recomputation, whatever the batches and their order.
//
// The real recordings are split into random batches, shuffled (so events arrive late, hours
// after their window was first computed), ingested and refreshed one batch at a time. After every
// refresh Gold must equal a recomputation from Silver, and at the end it must equal the Gold of
// a database that ingested everything at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "litehouse/litehouse.h"
#include "test_data.h"

namespace litehouse {
namespace {

namespace fs = std::filesystem;

const char* const kGold[] = {"gold_hourly_stats", "gold_kpi_5min", "gold_user_risk", "gold_trending_pages",
                             "gold_daily_summary"};

std::string Scalar(Database* db, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  Status s = db->Query(sql, &rows);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return rows.empty() ? "" : rows[0][0];
}

TEST(GoldIncremental, RandomShuffledBatchesEqualFullRecompute) {
  fs::path dir = fs::temp_directory_path() / ("lh_gold_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);

  // Every event of every recording, as one NDJSON line each. The 2018 Wikidata recordings hold
  // a few ids twice with different contents; Bronze keeps whichever arrives first, so only the
  // first of those takes part (copies with the same bytes stay: they must be absorbed).
  std::vector<std::string> events;
  {
    std::map<std::string, std::string> first_by_id;
    std::unique_ptr<Database> scratch;
    ASSERT_TRUE(Database::Open((dir / "scratch.db").string(), &scratch).ok());
    for (const std::string& f : testing::AllRecordings()) {
      std::vector<std::vector<std::string>> rows;
      ASSERT_TRUE(
          scratch->Query("SELECT event_id, json(json) FROM read_events(?) WHERE error IS NULL", &rows, {f}).ok());
      for (auto& r : rows) {
        const std::string& first = first_by_id.emplace(r[0], r[1]).first->second;
        if (first == r[1]) events.push_back(r[1]);
      }
    }
  }
  ASSERT_GT(events.size(), 8000u);

  std::unique_ptr<Database> reference;
  {
    std::string all;
    for (const auto& e : events) all += e + "\n";
    std::ofstream((dir / "all.jsonl").string()) << all;
    ASSERT_TRUE(Database::Open((dir / "reference.db").string(), &reference).ok());
    ASSERT_TRUE(reference->Ingest((dir / "all.jsonl").string()).ok());
  }

  // Large batches, and (seed 4) the small ones of a live stream, where most groups a batch
  // touches already hold rows and Gold must tell the new users and pages from the seen ones.
  struct Run {
    unsigned seed;
    size_t max_batch;
    int check_every;
  };
  for (const Run run : {Run{1, 2500, 1}, Run{2, 2500, 1}, Run{3, 2500, 1}, Run{4, 40, 25}}) {
    const unsigned seed = run.seed;
    std::mt19937 rng(seed);
    std::vector<std::string> shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::unique_ptr<Database> db;
    std::string name = "incremental" + std::to_string(seed) + ".db";
    ASSERT_TRUE(Database::Open((dir / name).string(), &db).ok());
    size_t pos = 0;
    int batch = 0;
    while (pos < shuffled.size()) {
      size_t n = std::uniform_int_distribution<size_t>(1, run.max_batch)(rng);
      std::string text;
      for (size_t i = pos; i < std::min(shuffled.size(), pos + n); ++i) text += shuffled[i] + "\n";
      pos += n;
      std::string path = (dir / ("batch" + std::to_string(seed) + "_" + std::to_string(batch++) + ".jsonl")).string();
      std::ofstream(path) << text;
      ASSERT_TRUE(db->Ingest(path).ok());
      if (batch % run.check_every != 0 && pos < shuffled.size()) continue;
      uint64_t diff = 1;
      ASSERT_TRUE(CheckGoldAgainstRecompute(db->handle(), &diff).ok());
      ASSERT_EQ(diff, 0u) << "seed " << seed << " batch " << batch;
    }
    EXPECT_GT(batch, 3);
    ASSERT_TRUE(db->Execute("ATTACH '" + (dir / "reference.db").string() + "' AS ref").ok());
    for (const char* t : kGold) {
      std::string table(t);
      // dq columns of the daily summary count checks run at wall-clock time; compare the rest.
      std::string cols = table == "gold_daily_summary"
                             ? "event_date, total_events, total_edits, unique_users, unique_pages, active_wikis, "
                               "bot_percentage, anonymous_percentage, net_bytes, large_deletions, high_risk_users, "
                               "medium_risk_users, top_domain"
                             : "*";
      std::string a = "SELECT " + cols + " FROM main." + table, b = "SELECT " + cols + " FROM ref." + table;
      EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM (" + a + " EXCEPT " + b + ")"), "0") << table << " seed " << seed;
      EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM (" + b + " EXCEPT " + a + ")"), "0") << table << " seed " << seed;
      EXPECT_NE(Scalar(db.get(), "SELECT count(*) FROM main." + table), "0") << table;
    }
  }
  fs::remove_all(dir);
}

// Gold's windows and hours are those of each event's event_time as Silver spells it. (The test
// above compares Gold with its recomputation, which shares lh_silver's arithmetic on the stored
// milliseconds; this one reads only the texts.)
TEST(GoldIncremental, WindowsAndHoursAreThoseOfTheEventTimes) {
  fs::path dir = fs::temp_directory_path() / ("lh_gold_windows_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::unique_ptr<Database> db;
  ASSERT_TRUE(Database::Open((dir / "t.db").string(), &db).ok());
  for (const std::string& f : testing::AllRecordings()) ASSERT_TRUE(db->Ingest(f).ok()) << f;
  const std::string windows =
      "SELECT w, strftime('%Y-%m-%d %H:%M:%f', w, '+5 minutes'), count(*) FROM ("
      "  SELECT substr(event_time, 1, 14) || printf('%02d', CAST(substr(event_time, 15, 2) AS INTEGER) / 5 * 5)"
      "         || ':00.000' AS w FROM silver_events WHERE type IN ('edit', 'new')) GROUP BY w";
  const std::string gold_windows = "SELECT window_start, window_end, total_edits FROM gold_kpi_5min";
  const std::string hours = "SELECT substr(event_time, 1, 10), CAST(substr(event_time, 12, 2) AS INTEGER), domain, "
                            "count(*) FROM silver_events GROUP BY 1, 2, 3";
  const std::string gold_hours = "SELECT event_date, event_hour, domain, total_events FROM gold_hourly_stats";
  EXPECT_GT(std::stoi(Scalar(db.get(), "SELECT count(*) FROM gold_kpi_5min")), 10);
  EXPECT_GT(std::stoi(Scalar(db.get(), "SELECT count(*) FROM gold_hourly_stats")), 100);
  for (const auto& [a, b] : {std::pair{windows, gold_windows}, std::pair{hours, gold_hours}}) {
    EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM (" + a + " EXCEPT " + b + ")"), "0") << a;
    EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM (" + b + " EXCEPT " + a + ")"), "0") << b;
  }
  db.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace litehouse

// Data-quality gates: the real recordings pass every shipped rule; batches with injected faults
// fail the right rule, are held in Bronze with evidence and an alert, and once the rule changes
// every row reaches Silver and Gold exactly once. Profiles catch drift and a volume drop.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "litehouse/litehouse.h"
#include "test_data.h"

namespace litehouse {
namespace {

namespace fs = std::filesystem;

class DataQuality : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lh_dq_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_TRUE(Database::Open((dir_ / "dq.db").string(), &db_).ok());
    for (const std::string& f : testing::AllRecordings()) ASSERT_TRUE(db_->Ingest(f).ok()) << f;
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  std::string Scalar(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<std::vector<std::string>> rows;
    Status s = db_->Query(sql, &rows, params);
    EXPECT_TRUE(s.ok()) << s.ToString() << " in " << sql;
    return rows.empty() || rows[0].empty() ? "" : rows[0][0];
  }
  int64_t Count(const std::string& sql, const std::vector<std::string>& params = {}) {
    return std::stoll(Scalar(sql, params));
  }

  // Writes `n` events of the 2024 recording, each rewritten by `json_expr` (SQL over the
  // column `json`, and `n` = the event's number), with ids `prefix-<n>`, and ingests them.
  void IngestRewritten(const std::string& prefix, const std::string& json_expr, int n) {
    std::vector<std::vector<std::string>> rows;
    Status s = db_->Query("WITH e AS (SELECT json(json) AS json, row_number() OVER () AS n FROM read_events(?) "
                          "WHERE error IS NULL) SELECT json_set(" + json_expr + ", '$.meta.id', ? || '-' || n) "
                          "FROM e WHERE n <= CAST(? AS INTEGER) ORDER BY n",
                          &rows, {testing::RecentChange("yearfunla-wikiMedia_stream_monitor/recentchange_raw.json"),
                                  prefix, std::to_string(n)});
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(rows.size(), static_cast<size_t>(n));
    std::string text;
    for (auto& r : rows) text += r[0] + "\n";
    const std::string path = (dir_ / (prefix + ".jsonl")).string();
    std::ofstream(path) << text;
    ASSERT_TRUE(db_->Ingest(path).ok());
  }

  // The non-NULL values of a Silver column over the rows (from, to] whose bronze_id is a
  // multiple of k, sorted.
  std::vector<double> SortedValues(const std::string& column, const std::string& from, const std::string& to,
                                   int64_t k) {
    std::vector<std::vector<std::string>> rows;
    EXPECT_TRUE(db_->Query("SELECT " + column + " FROM silver_events WHERE bronze_id > ? AND bronze_id <= ? AND "
                           "bronze_id % ? = 0 AND " + column + " IS NOT NULL",
                           &rows, {from, to, std::to_string(k)}).ok());
    std::vector<double> values;
    for (const auto& r : rows) values.push_back(std::stod(r[0]));
    std::sort(values.begin(), values.end());
    return values;
  }

  fs::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(DataQuality, RealRecordingsPassEveryRule) {
  // Each file was a batch; a rule that kept passing has one row spanning them all, and the
  // day's count of checks has every one of them.
  EXPECT_EQ(Scalar("SELECT batch_from || '..' || batch_to FROM dq_results WHERE rule = 'bronze_domain_complete'"),
            "0.." + Scalar("SELECT value FROM lh_state WHERE key = 'silver_watermark'"));
  const int64_t rules = Count("SELECT count(*) FROM dq_rules WHERE run_on = 'batch'");
  EXPECT_GE(Count("SELECT passed FROM lh_dq_days"), 10 * rules);  // ≥ 10 files brought new events
  EXPECT_EQ(Count("SELECT passed FROM lh_dq_days") % rules, 0);
  EXPECT_EQ(Count("SELECT failed FROM lh_dq_days"), 0);
  EXPECT_EQ(Scalar("SELECT group_concat(rule || ' ' || status) FROM dq_results WHERE status <> 'PASS'"), "");
  EXPECT_EQ(Count("SELECT count(*) FROM dq_held_batches"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM dq_alerts"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM dq_profile"), 0);
  QualitySummary audit;
  ASSERT_TRUE(RunQualityChecks(db_->handle(), &audit).ok());
  EXPECT_EQ(audit.failed + audit.errors + audit.warned, 0u) << (audit.lines.empty() ? "" : audit.lines[0]);
  // Every shipped rule ran, in every layer (the audit-only ones in the audit).
  EXPECT_EQ(Count("SELECT count(*) FROM dq_rules WHERE rule_name NOT IN (SELECT rule FROM dq_results)"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM dq_results WHERE rule = 'silver_event_id_unique' AND run_id < ?",
                  {std::to_string(audit.run_id)}),
            0);
}

struct Fault {
  const char* name;
  const char* rewrite;  // SQL over `json`
  const char* rule;     // the rule that must fail
};

TEST_F(DataQuality, FaultyBatchesAreHeldThenPromotedExactlyOnce) {
  const Fault faults[] = {
      {"nodomain", "json_remove(json, '$.meta.domain', '$.server_name')", "bronze_domain_complete"},
      {"badtype", "json_set(json, '$.type', 'widget')", "bronze_type_allowed"},
      {"badlength", "json_set(json, '$.length', json('{\"old\": -7, \"new\": -5}'))", "bronze_length_valid"},
      {"badnamespace", "json_set(json, '$.namespace', -9)", "bronze_namespace_valid"},
  };
  const int64_t silver_before = Count("SELECT count(*) FROM silver_events");
  const std::string gold_before = Scalar("SELECT sum(total_events) FROM gold_daily_summary");
  for (const Fault& f : faults) {
    SCOPED_TRACE(f.name);
    IngestRewritten(f.name, f.rewrite, 40);
    const std::string like = std::string(f.name) + "-%";
    // Held in Bronze, by the right rule; nothing of it in Silver or Gold.
    EXPECT_EQ(Scalar("SELECT rule FROM dq_held_batches"), f.rule);
    EXPECT_EQ(Count("SELECT bronze_rows FROM dq_held_batches"), 40);
    EXPECT_EQ(Count("SELECT count(*) FROM bronze_events WHERE event_id LIKE ?", {like}), 40);
    EXPECT_EQ(Count("SELECT count(*) FROM silver_events WHERE event_id LIKE ?", {like}), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM silver_rejects WHERE event_id LIKE ?", {like}), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM silver_events"), silver_before);
    EXPECT_EQ(Scalar("SELECT sum(total_events) FROM gold_daily_summary"), gold_before);
    // FAIL with evidence naming the bad events, and an alert.
    const std::string result =
        "SELECT result_id FROM dq_results WHERE rule = ? AND status = 'FAIL' ORDER BY result_id DESC LIMIT 1";
    ASSERT_NE(Scalar(result, {f.rule}), "");
    EXPECT_EQ(Count("SELECT json_extract(evidence, '$.failing_rows') FROM dq_results WHERE result_id = (" + result + ")",
                    {f.rule}),
              40);
    EXPECT_NE(Scalar("SELECT evidence FROM dq_results WHERE result_id = (" + result + ")", {f.rule})
                  .find("\"event_id\":\"" + std::string(f.name) + "-"),
              std::string::npos);
    EXPECT_EQ(Scalar("SELECT json_extract(payload, '$.rule') FROM dq_alerts WHERE result_id = (" + result + ")",
                     {f.rule}),
              f.rule);
    // A refresh with no change to the rules leaves it held (and does not check it again).
    const int64_t results = Count("SELECT count(*) FROM dq_results");
    RefreshStats stats;
    ASSERT_TRUE(Refresh(db_->handle(), &stats).ok());
    EXPECT_EQ(Count("SELECT count(*) FROM dq_held_batches"), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM dq_results"), results);

    // The fix: the rule is switched off. The next refresh promotes the batch: each event reaches
    // Silver (or silver_rejects, for the rule Silver applies) exactly once, and Gold follows.
    ASSERT_TRUE(db_->Execute("UPDATE dq_rules SET enabled = 0 WHERE rule_name = '" + std::string(f.rule) + "'").ok());
    ASSERT_TRUE(Refresh(db_->handle(), &stats).ok());
    EXPECT_EQ(stats.released_batches, 1u);
    EXPECT_EQ(Count("SELECT count(*) FROM dq_held_batches"), 0);
    EXPECT_EQ(Count("SELECT count(DISTINCT event_id) FROM (SELECT event_id FROM silver_events WHERE event_id LIKE ?1 "
                    "UNION ALL SELECT event_id FROM silver_rejects WHERE event_id LIKE ?1)",
                    {like}),
              40);
    EXPECT_EQ(Count("SELECT count(*) FROM (SELECT event_id FROM silver_events WHERE event_id LIKE ?1 "
                    "UNION ALL SELECT event_id FROM silver_rejects WHERE event_id LIKE ?1)",
                    {like}),
              40);
    EXPECT_EQ(Count("SELECT lh_check_gold()"), 0);
    ASSERT_TRUE(db_->Execute("UPDATE dq_rules SET enabled = 1 WHERE rule_name = '" + std::string(f.rule) + "'").ok());
  }
}

TEST_F(DataQuality, BrokenRuleSqlIsAnErrorThatHolds) {
  ASSERT_TRUE(db_->Execute("INSERT INTO dq_rules (rule_name, layer, metric_sql, comparison, threshold, severity) "
                           "VALUES ('typo', 'silver', 'SELECT count(*) FROM silver_evnets', '=', 0, 'block'), "
                           "('writer', 'silver', 'DELETE FROM silver_events_stored', '=', 0, 'warn'), "
                           "('words', 'silver', 'SELECT ''many''', '=', 0, 'warn')")
                  .ok());
  IngestRewritten("after-typo", "json", 20);
  EXPECT_EQ(Scalar("SELECT status || ': ' || json_extract(evidence, '$.error') FROM dq_results WHERE rule = 'typo'"),
            "ERROR: no such table: silver_evnets");
  EXPECT_EQ(Scalar("SELECT status || ': ' || json_extract(evidence, '$.error') FROM dq_results WHERE rule = 'writer'"),
            "ERROR: the SQL must only read (a SELECT)");
  EXPECT_EQ(Scalar("SELECT status || ': ' || json_extract(evidence, '$.error') FROM dq_results WHERE rule = 'words'"),
            "ERROR: the metric is not a number: many");
  EXPECT_EQ(Scalar("SELECT rule FROM dq_held_batches"), "typo");
  // A runaway rule is stopped at its time limit (here 0.2 s) and is an ERROR, not a hang.
  ASSERT_TRUE(db_->Execute("INSERT OR REPLACE INTO lh_state (key, value) VALUES ('dq_rule_time_limit_s', 0.2); "
                           "INSERT INTO dq_rules (rule_name, layer, metric_sql, comparison, threshold, severity) "
                           "VALUES ('forever', 'bronze', 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                           "FROM n) SELECT max(i) FROM n', '>', 0, 'warn')")
                  .ok());
  IngestRewritten("runaway", "json", 5);
  // Held again by the same broken rule: listed, but not alerted twice.
  EXPECT_EQ(Count("SELECT count(*) FROM dq_held_batches WHERE rule = 'typo'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM dq_alerts WHERE json_extract(payload, '$.rule') = 'typo'"), 1);
  EXPECT_EQ(Scalar("SELECT status || ': ' || json_extract(evidence, '$.error') FROM dq_results WHERE rule = 'forever'"),
            "ERROR: the rule's SQL ran longer than 0.2 s");
  ASSERT_TRUE(db_->Execute("DELETE FROM dq_rules WHERE rule_name = 'forever'").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM silver_events WHERE event_id LIKE 'after-typo-%'"), 0);
  ASSERT_TRUE(db_->Execute("UPDATE dq_rules SET metric_sql = 'SELECT 0' WHERE rule_name = 'typo'").ok());
  RefreshStats stats;
  ASSERT_TRUE(Refresh(db_->handle(), &stats).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM silver_events WHERE event_id LIKE 'after-typo-%'"), 20);
  EXPECT_EQ(Count("SELECT count(*) FROM dq_held_batches"), 0);
  EXPECT_EQ(Count("SELECT lh_check_gold()"), 0);
}

TEST_F(DataQuality, AGoldRuleHoldsTheBatchOutOfSilverToo) {
  // A gold rule sees the batch after Gold took it; failing, it rolls back Silver and Gold alike.
  ASSERT_TRUE(db_->Execute("INSERT INTO dq_rules (rule_name, layer, metric_sql, comparison, threshold, severity) "
                           "VALUES ('few_bytes', 'gold', 'SELECT max(bytes_added) FROM temp.dq_batch_hourly_stats', "
                           "'<', 1000000, 'block')")
                  .ok());
  const std::string gold_before = Scalar("SELECT sum(total_events) || '/' || sum(bytes_added) FROM gold_hourly_stats");
  IngestRewritten("huge", "json_set(json, '$.length', json('{\"old\": 10, \"new\": 2000000}'), '$.type', 'edit')",
                  30);
  EXPECT_EQ(Scalar("SELECT layer || ' ' || rule FROM dq_held_batches"), "gold few_bytes");
  EXPECT_EQ(Count("SELECT count(*) FROM silver_events WHERE event_id LIKE 'huge-%'"), 0);
  EXPECT_EQ(Scalar("SELECT sum(total_events) || '/' || sum(bytes_added) FROM gold_hourly_stats"), gold_before);
  EXPECT_NE(Scalar("SELECT evidence FROM dq_results WHERE rule = 'few_bytes'").find("\"severity\":\"block\""),
            std::string::npos);
  ASSERT_TRUE(db_->Execute("UPDATE dq_rules SET threshold = 1e12 WHERE rule_name = 'few_bytes'").ok());
  RefreshStats stats;
  ASSERT_TRUE(Refresh(db_->handle(), &stats).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM silver_events WHERE event_id LIKE 'huge-%'"), 30);
  EXPECT_EQ(Count("SELECT lh_check_gold()"), 0);
}

TEST_F(DataQuality, ProfilesCatchDriftAndAVolumeDrop) {
  // Warnings raise alerts too when asked.
  ASSERT_TRUE(db_->Execute("INSERT OR REPLACE INTO lh_state (key, value) VALUES ('dq_alert_on_warn', 1)").ok());
  // Six ordinary batches of 1,200 events build a history of profiles.
  for (int i = 0; i < 6; ++i) IngestRewritten("normal" + std::to_string(i), "json", 1200);
  EXPECT_EQ(Scalar("SELECT group_concat(rule) FROM dq_results WHERE status <> 'PASS'"), "");
  // Every event made a bot: the bot share jumps from ~0.3 to 1.
  IngestRewritten("allbots", "json_set(json, '$.bot', json('true'))", 1200);
  EXPECT_EQ(Scalar("SELECT status FROM dq_results WHERE rule = 'silver_profile_drift' ORDER BY result_id DESC LIMIT 1"),
            "WARN");
  EXPECT_NE(Scalar("SELECT evidence FROM dq_results WHERE rule = 'silver_profile_drift' ORDER BY result_id DESC LIMIT 1")
                .find("\"column_name\":\"is_bot\""),
            std::string::npos);
  // A warning holds nothing.
  EXPECT_EQ(Count("SELECT count(*) FROM dq_held_batches"), 0);
  EXPECT_EQ(Count("SELECT (SELECT count(*) FROM silver_events WHERE event_id LIKE 'allbots-%') + "
                  "(SELECT count(*) FROM silver_rejects WHERE event_id LIKE 'allbots-%')"),
            1200);  // (one is Flow's type "142": a reject, as it should be)
  // The same events spread over ten hours: events per minute drop a hundredfold.
  IngestRewritten("thin",
                  "json_set(json, '$.meta.dt', strftime('%Y-%m-%dT%H:%M:%SZ', '2024-08-22 05:00:00', "
                  "'+' || (n * 30) || ' seconds'))",
                  1200);
  EXPECT_EQ(Scalar("SELECT status FROM dq_results WHERE rule = 'silver_volume_drop' ORDER BY result_id DESC LIMIT 1"),
            "WARN");
  EXPECT_EQ(Scalar("SELECT group_concat(DISTINCT json_extract(payload, '$.rule')) FROM "
                   "(SELECT payload FROM dq_alerts ORDER BY json_extract(payload, '$.rule'))"),
            "silver_profile_drift,silver_volume_drop");
}

// The nearest rank (the ceil(q * n)-th smallest value) of sorted values.
double NearestRank(const std::vector<double>& sorted, double q) {
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::max<size_t>(rank, 1) - 1];
}

// The last profile's figures against their definitions over the Silver rows of its range. Under
// 20,000 rows a profile reads all of them (no sampling), so p50 and p95 by nearest rank, min,
// max, mean and null rate are exact; so are is_bot's mean, user_name's null rate and the batch's
// events per minute; the distinct counts (HyperLogLog) are within 2% (exact for a few values).
class DataQualityProfile : public DataQuality {
 protected:
  void ExpectLastProfileMatchesItsDefinition() {
    const std::string run = Scalar("SELECT max(run_id) FROM dq_profile");
    const std::string from = Scalar("SELECT batch_from FROM dq_profile WHERE run_id = ? AND column_name = '*'", {run});
    const std::string to = Scalar("SELECT batch_to FROM dq_profile WHERE run_id = ? AND column_name = '*'", {run});
    const int64_t n = Count("SELECT count(*) FROM silver_events WHERE bronze_id > ? AND bronze_id <= ?", {from, to});
    ASSERT_GE(n, 1000);
    EXPECT_EQ(Count("SELECT row_count FROM dq_profile WHERE run_id = ? AND column_name = 'namespace'", {run}), n);
    for (const char* column : {"length_delta", "namespace", "processing_delay_s"}) {
      SCOPED_TRACE(column);
      const std::vector<double> values = SortedValues(column, from, to, 1);
      ASSERT_GT(values.size(), 100u);
      std::vector<std::vector<std::string>> rows;
      ASSERT_TRUE(db_->Query("SELECT p50, p95, min, max, null_rate, mean FROM dq_profile WHERE run_id = ? AND "
                             "column_name = ?",
                             &rows, {run, column}).ok());
      ASSERT_EQ(rows.size(), 1u);
      EXPECT_DOUBLE_EQ(std::stod(rows[0][0]), NearestRank(values, 0.50));
      EXPECT_DOUBLE_EQ(std::stod(rows[0][1]), NearestRank(values, 0.95));
      EXPECT_NE(NearestRank(values, 0.50), NearestRank(values, 0.95));  // (so that swapping them would show)
      EXPECT_DOUBLE_EQ(std::stod(rows[0][2]), values.front());
      EXPECT_DOUBLE_EQ(std::stod(rows[0][3]), values.back());
      const double null_rate = 1.0 - static_cast<double>(values.size()) / static_cast<double>(n);
      EXPECT_NEAR(std::stod(rows[0][4]), null_rate, 0.00005);
      double sum = 0;
      for (double v : values) sum += v;
      EXPECT_NEAR(std::stod(rows[0][5]), sum / static_cast<double>(values.size()), 0.0005);  // (rounded to 3 places)
    }
    EXPECT_NEAR(std::stod(Scalar("SELECT mean FROM dq_profile WHERE run_id = ? AND column_name = 'is_bot'", {run})),
                std::stod(Scalar("SELECT avg(is_bot) FROM silver_events WHERE bronze_id > ? AND bronze_id <= ?", {from, to})),
                0.00005);
    EXPECT_NEAR(std::stod(Scalar("SELECT null_rate FROM dq_profile WHERE run_id = ? AND column_name = 'user_name'", {run})),
                1.0 - std::stod(Scalar("SELECT 1.0 * count(user_name) / count(*) FROM silver_events WHERE bronze_id > ? "
                                       "AND bronze_id <= ?", {from, to})),
                0.00005);
    // (over more than a minute, or the rate would be its row count whatever the times)
    ASSERT_GT(std::stod(Scalar("SELECT (julianday(max(event_time)) - julianday(min(event_time))) * 1440.0 "
                               "FROM silver_events WHERE bronze_id > ? AND bronze_id <= ?", {from, to})),
              1.0);
    // (The profile rounds to three decimals and counts the minutes in milliseconds; julianday()'s
    // minutes are off in their last digits.)
    EXPECT_NEAR(std::stod(Scalar("SELECT mean FROM dq_profile WHERE run_id = ? AND column_name = '*'", {run})),
                std::stod(Scalar("SELECT count(*) / max(1.0, (julianday(max(event_time)) - julianday(min(event_time))) "
                                 "* 1440.0) FROM silver_events WHERE bronze_id > ? AND bronze_id <= ?", {from, to})),
                0.001);
    for (const char* column : {"namespace", "domain", "user_name"}) {
      SCOPED_TRACE(column);
      const double exact = std::stod(Scalar(std::string("SELECT count(DISTINCT ") + column +
                                            ") FROM silver_events WHERE bronze_id > ? AND bronze_id <= ?", {from, to}));
      ASSERT_GT(exact, 1);
      EXPECT_NEAR(std::stod(Scalar("SELECT distinct_count FROM dq_profile WHERE run_id = ? AND column_name = ?",
                                   {run, column})),
                  exact, 0.02 * exact);
    }
  }
  // The last profile's range, "from..to".
  std::string LastProfileRange() {
    return Scalar("SELECT batch_from || '..' || batch_to FROM dq_profile WHERE column_name = '*' "
                  "ORDER BY run_id DESC LIMIT 1");
  }
  int64_t LastBronzeId() { return Count("SELECT max(bronze_id) FROM bronze_events"); }
};

// The recording's events, 0.1 s apart from 04:00 (the recording's first 1,500 cover 52 s).
constexpr const char* kTenPerSecond =
    "json_set(json, '$.meta.dt', strftime('%Y-%m-%dT%H:%M:%fZ', '2024-08-22 04:00:00', '+' || (n * 0.1) || ' seconds'))";

// A backfill's batch: the profile's range is the batch, whose statistics pass (dq_00_batch.sql)
// the profile reads instead of a pass of its own.
TEST_F(DataQualityProfile, OneBatchsFiguresMatchTheirDefinition) {
  const int64_t before = LastBronzeId();
  IngestRewritten("profiled", kTenPerSecond, 1500);
  EXPECT_EQ(LastProfileRange(), std::to_string(before) + ".." + std::to_string(before + 1500));
  ExpectLastProfileMatchesItsDefinition();
}

// 600 rows are too few to profile; with the next 900 the profile covers both batches, in a pass
// of its own.
TEST_F(DataQualityProfile, SeveralBatchesFiguresMatchTheirDefinition) {
  const int64_t before = LastBronzeId();
  const std::string profiled = LastProfileRange();
  IngestRewritten("first", kTenPerSecond, 600);
  EXPECT_EQ(LastProfileRange(), profiled);
  IngestRewritten("second", kTenPerSecond, 900);
  EXPECT_EQ(LastProfileRange(), std::to_string(before) + ".." + std::to_string(before + 1500));
  ExpectLastProfileMatchesItsDefinition();
}

TEST_F(DataQuality, ProfileQuantilesComeFromEveryKthRow) {
  // With a sample of at most 300 rows, a 1,500-row batch is sampled at every k-th bronze_id
  // (k = n / 300): p50 and p95 (and processing_delay_s' min and max) are those of exactly the
  // rows whose bronze_id is a multiple of k.
  ASSERT_TRUE(db_->Execute("INSERT OR REPLACE INTO lh_state (key, value) VALUES ('dq_profile_sample_rows', 300)").ok());
  IngestRewritten("sampled", "json", 1500);
  const std::string run = Scalar("SELECT max(run_id) FROM dq_profile");
  const std::string from = Scalar("SELECT batch_from FROM dq_profile WHERE run_id = ? AND column_name = '*'", {run});
  const std::string to = Scalar("SELECT batch_to FROM dq_profile WHERE run_id = ? AND column_name = '*'", {run});
  const int64_t k = Count("SELECT count(*) FROM silver_events WHERE bronze_id > ? AND bronze_id <= ?", {from, to}) / 300;
  ASSERT_GE(k, 3);
  for (const char* column : {"length_delta", "namespace", "processing_delay_s"}) {
    SCOPED_TRACE(column);
    const std::vector<double> sample = SortedValues(column, from, to, k);
    ASSERT_GT(sample.size(), 100u);
    std::vector<std::vector<std::string>> rows;
    ASSERT_TRUE(db_->Query("SELECT p50, p95, min, max FROM dq_profile WHERE run_id = ? AND column_name = ?", &rows,
                           {run, column}).ok());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_DOUBLE_EQ(std::stod(rows[0][0]), NearestRank(sample, 0.50));
    EXPECT_DOUBLE_EQ(std::stod(rows[0][1]), NearestRank(sample, 0.95));
    if (std::string(column) == "processing_delay_s") {
      EXPECT_DOUBLE_EQ(std::stod(rows[0][2]), sample.front());
      EXPECT_DOUBLE_EQ(std::stod(rows[0][3]), sample.back());
    }
  }
}

TEST_F(DataQuality, StaleDataWarnsWhileALiveSourceIsConnected) {
  // No live source: the recordings' 2024 times are history, not staleness.
  IngestRewritten("before", "json", 10);
  EXPECT_EQ(Scalar("SELECT status || ' ' || coalesce(metric, 'null') FROM dq_results WHERE rule = 'silver_freshness' "
                   "ORDER BY result_id DESC LIMIT 1"),
            "PASS null");
  // A connected stream whose newest event is months old.
  ASSERT_TRUE(db_->Execute("INSERT INTO lh_sources (name, kind) VALUES ('http://127.0.0.1:1/stream', 'stream'); "
                           "INSERT INTO lh_stream_state (source_id, connected) VALUES (last_insert_rowid(), 1)")
                  .ok());
  IngestRewritten("stale", "json", 10);
  EXPECT_EQ(Scalar("SELECT status FROM dq_results WHERE rule = 'silver_freshness' ORDER BY result_id DESC LIMIT 1"),
            "WARN");
  EXPECT_GT(std::stod(Scalar("SELECT metric FROM dq_results WHERE rule = 'silver_freshness' "
                             "ORDER BY result_id DESC LIMIT 1")),
            86400.0 * 30);
  EXPECT_EQ(Count("SELECT count(*) FROM dq_held_batches"), 0);  // stale is a warning: nothing held
}

TEST_F(DataQuality, TodaysGoldCountsTodaysChecks) {
  // Events of today: Gold's daily summary of today counts the checks as they are recorded, and
  // still equals its definition (which reads the same per-day counts).
  const std::string now = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
  IngestRewritten("today1", "json_set(json, '$.meta.dt', " + now + ")", 50);
  IngestRewritten("today2", "json_set(json, '$.meta.dt', " + now + ")", 50);
  QualitySummary audit;
  ASSERT_TRUE(RunQualityChecks(db_->handle(), &audit).ok());
  EXPECT_EQ(Scalar("SELECT dq_checks_passed FROM gold_daily_summary WHERE event_date = date('now')"),
            Scalar("SELECT passed FROM lh_dq_days WHERE day = date('now')"));
  EXPECT_GT(Count("SELECT dq_checks_passed FROM gold_daily_summary WHERE event_date = date('now')"), 40);
  EXPECT_EQ(Count("SELECT lh_check_gold()"), 0);
}

}  // namespace
}  // namespace litehouse

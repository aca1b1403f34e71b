// Compressed inputs that are cut short or damaged: every byte that decompresses before the damage
// is read, then the error names it; the ingest keeps the events before it, leaves the file
// incomplete, and takes the rest exactly once when the file is whole again. (Before: a cut .gz
// read as an empty file, marked complete, with no error at all.)
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/bronze_codec.h"
#include "engine/byte_source.h"
#include "gzip_util.h"
#include "litehouse/litehouse.h"
#include "test_data.h"
#include "test_dir_fixture.h"

namespace litehouse {
namespace {

// The recording with the most events (2,387, NDJSON, 2.9 MB: several of ByteSource's reads).
std::string Recording() {
  return testing::ReadFile(testing::RecentChange("yearfunla-wikiMedia_stream_monitor/recentchange_raw.json"));
}

class DamagedInputTest : public testing::TestDirFixture {
 protected:
  DamagedInputTest() : TestDirFixture("lh_damaged_") {}
  // Reads the file through ByteSource until the end or an error: the bytes, and the error.
  Status ReadAll(const std::string& path, std::string* bytes, uint64_t* file_position = nullptr) {
    std::unique_ptr<internal::ByteSource> source;
    internal::SourceInfo info;
    Status s = internal::OpenByteSource(path, &source, &info);
    if (!s.ok()) return s;
    bytes->clear();
    std::string buffer(1 << 20, '\0');
    for (;;) {
      size_t got = 0;
      s = source->Read(buffer.data(), buffer.size(), &got);
      if (!s.ok()) {
        // The error stays: reading again does not pretend the file ended.
        Status again = source->Read(buffer.data(), buffer.size(), &got);
        EXPECT_FALSE(again.ok());
        EXPECT_EQ(got, 0u);
        break;
      }
      if (got == 0) break;
      bytes->append(buffer.data(), got);
    }
    if (file_position) *file_position = source->file_position();
    return s;
  }
};

TEST_F(DamagedInputTest, GzipWholeInMembersCutAndDamaged) {
  const std::string bytes = Recording();
  const std::string gz = testing::GzipMember(bytes);
  std::string read;
  uint64_t position = 0;

  ASSERT_TRUE(ReadAll(Write("whole.gz", gz), &read, &position).ok());
  EXPECT_EQ(read, bytes);
  EXPECT_EQ(position, gz.size());  // progress counts the file's own bytes

  // Two members one after another (`cat a.gz b.gz`), split inside an event: one stream.
  const size_t half = bytes.size() / 2;
  ASSERT_TRUE(ReadAll(Write("two.gz", testing::GzipMember(bytes.substr(0, half)) +
                                          testing::GzipMember(bytes.substr(half))),
                      &read)
                  .ok());
  EXPECT_EQ(read, bytes);

  // Cut in the middle: what decompresses is a prefix of the file, about half of it, then the error.
  Status s = ReadAll(Write("cut.gz", gz.substr(0, gz.size() / 2)), &read);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("gzip: truncated file (it ends inside a gzip member"), std::string::npos)
      << s.message();
  EXPECT_EQ(bytes.compare(0, read.size(), read), 0);
  EXPECT_GT(read.size(), bytes.size() / 3);
  EXPECT_LT(read.size(), bytes.size() * 2 / 3);

  // Damaged in the middle: the bytes before the damage, then where it was found.
  std::string damaged = gz;
  for (size_t i = damaged.size() / 2; i < damaged.size() / 2 + 64; ++i) damaged[i] = static_cast<char>(0xff);
  s = ReadAll(Write("damaged.gz", damaged), &read);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("gzip: ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find(" of the file"), std::string::npos) << s.message();
  EXPECT_GT(read.size(), bytes.size() / 3);
  EXPECT_EQ(bytes.compare(0, bytes.size() / 3, read, 0, bytes.size() / 3), 0);

  // Something after the last member that is not gzip is an error too, after all the data.
  s = ReadAll(Write("trailing.gz", gz + "not gzip"), &read);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(read, bytes);

  // Zeros after it are padding (a tar block's 512 bytes; 200 KB, longer than a read of the file):
  // the file ends there. Other bytes after the zeros are an error, after all the data.
  for (size_t zeros : {size_t{1}, size_t{512}, size_t{200000}}) {
    SCOPED_TRACE(zeros);
    ASSERT_TRUE(ReadAll(Write("padded.gz", gz + std::string(zeros, '\0')), &read, &position).ok());
    EXPECT_EQ(read, bytes);
    EXPECT_EQ(position, gz.size() + zeros);
    s = ReadAll(Write("padded_then.gz", gz + std::string(zeros, '\0') + "x"), &read);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.message(), "gzip: bytes after the zero padding that follows the last member, at byte " +
                               std::to_string(gz.size() + zeros) + " of the file");
    EXPECT_EQ(read, bytes);
  }
}

TEST_F(DamagedInputTest, ZstdCutAfterSomeFramesGivesThemThenTheError) {
  const std::string bytes = Recording();
  std::string zst;  // frames of 64 KiB of the file each, one after another
  for (size_t at = 0; at < bytes.size(); at += 64 * 1024) {
    std::string frame;
    ASSERT_TRUE(internal::ZstdCompress(std::string_view(bytes).substr(at, 64 * 1024), 3, &frame).ok());
    zst += frame;
  }
  std::string read;
  ASSERT_TRUE(ReadAll(Write("whole.zst", zst), &read).ok());
  EXPECT_EQ(read, bytes);

  Status s = ReadAll(Write("cut.zst", zst.substr(0, zst.size() / 2)), &read);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("zstd: truncated file"), std::string::npos) << s.message();
  EXPECT_EQ(bytes.compare(0, read.size(), read), 0);
  EXPECT_GT(read.size(), bytes.size() / 3);  // the whole frames before the cut
}

TEST_F(DamagedInputTest, ACutFileKeepsItsEventsBeforeTheCutAndResumesWhenWhole) {
  const std::string bytes = Recording();
  const std::string gz = testing::GzipMember(bytes);
  const std::string path = Write("events.json.gz", gz.substr(0, gz.size() * 6 / 10));
  auto db = Open();
  ASSERT_TRUE(db);

  // The library's Ingest: the error, and the events before the cut in all three layers.
  IngestStats ingest;
  RefreshStats refresh;
  Status s = db->Ingest(path, &ingest, &refresh);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind(path + ": gzip: truncated file", 0), 0u) << s.message();
  const uint64_t kept = ingest.inserted;
  EXPECT_GT(kept, 1000u);
  EXPECT_LT(kept, 2387u);
  EXPECT_EQ(ingest.documents, kept);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), std::to_string(kept));
  EXPECT_EQ(refresh.bronze_rows, kept);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) + (SELECT count(*) FROM silver_rejects) FROM silver_events"),
            std::to_string(kept));
  EXPECT_EQ(Scalar(db.get(), "SELECT complete FROM lh_sources"), "0");
  const std::string position = Scalar(db.get(), "SELECT position FROM lh_sources");
  EXPECT_GT(std::stoull(position), bytes.size() / 2);
  EXPECT_LT(std::stoull(position), bytes.size());
  // The position is the end of the last event kept: the next byte starts a line.
  EXPECT_EQ(bytes[std::stoull(position) - 1], '\n');

  // The same cut file again: nothing new, the same error.
  s = IngestFile(db->handle(), path, IngestOptions(), &ingest);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(ingest.inserted, 0u);
  EXPECT_EQ(ingest.resumed_from, std::stoull(position));
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), std::to_string(kept));

  // The file whole again (its writer finished it): the rest, exactly once.
  Write("events.json.gz", gz);
  s = IngestFile(db->handle(), path, IngestOptions(), &ingest);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(ingest.resumed_from, std::stoull(position));
  EXPECT_EQ(ingest.inserted, 2387u - kept);
  EXPECT_EQ(ingest.duplicates, 0u);
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), "2387");
  EXPECT_EQ(Scalar(db.get(), "SELECT complete FROM lh_sources"), "1");
}

TEST_F(DamagedInputTest, LhIngestOfACutFileRefreshesWhatItKeptAndFails) {
  const std::string gz = testing::GzipMember(Recording());
  const std::string path = Write("events.json.gz", gz.substr(0, gz.size() / 2));
  auto db = Open();
  ASSERT_TRUE(db);
  std::vector<std::vector<std::string>> rows;
  Status s = db->Query("SELECT lh_ingest(?)", &rows, {path});
  ASSERT_FALSE(s.ok());
  const std::string kept = Scalar(db.get(), "SELECT count(*) FROM bronze_events");
  EXPECT_GT(std::stoi(kept), 0);
  EXPECT_NE(s.message().find("lh_ingest: " + path + ": gzip: truncated file"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("(the " + kept + " events before it were kept)"), std::string::npos) << s.message();
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) + (SELECT count(*) FROM silver_rejects) FROM silver_events"), kept);
}

TEST_F(DamagedInputTest, ACutInsideAPrettyPrintedEventResumesAtItsFirstLine) {
  // Pretty-printed events with commas between them (one event: many lines). The cut falls inside
  // one; the state saved to resume names the line where that event starts, not a line inside it.
  const std::string bytes =
      testing::ReadFile(testing::RecentChange("amommendes-wikimedia_stream/app_message.json"));
  const std::string gz = testing::GzipMember(bytes);
  const std::string path = Write("pretty.json.gz", gz.substr(0, gz.size() * 6 / 10));
  auto db = Open();
  ASSERT_TRUE(db);
  IngestStats ingest;
  ASSERT_FALSE(IngestFile(db->handle(), path, IngestOptions(), &ingest).ok());
  EXPECT_GT(ingest.inserted, 0u);
  EXPECT_LT(ingest.inserted, 133u);
  const uint64_t position = std::stoull(Scalar(db.get(), "SELECT position FROM lh_sources"));
  const uint64_t line = 1 + static_cast<uint64_t>(std::count(bytes.begin(), bytes.begin() + position, '\n'));
  EXPECT_EQ(Scalar(db.get(), "SELECT scanner_state FROM lh_sources"), "L" + std::to_string(line) + ";");

  Write("pretty.json.gz", gz);
  ASSERT_TRUE(IngestFile(db->handle(), path, IngestOptions(), &ingest).ok());
  EXPECT_EQ(Scalar(db.get(), "SELECT count(*) FROM bronze_events"), "133");
}

}  // namespace
}  // namespace litehouse

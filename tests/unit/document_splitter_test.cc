#include "engine/document_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_data.h"

namespace litehouse::internal {
namespace {

struct Split {
  std::vector<std::string> docs;    // well-framed documents
  std::vector<std::string> errors;  // error messages, in order
  std::vector<uint64_t> offsets;
};

Split SplitAll(std::string_view bytes, size_t max_read = SIZE_MAX, size_t max_doc = 1 << 20) {
  MemoryByteSource src(bytes, max_read);
  DocumentSplitter splitter(&src, max_doc);
  Split out;
  for (;;) {
    RawDocument d;
    bool have = false;
    EXPECT_TRUE(splitter.Next(&d, &have).ok());
    if (!have) break;
    if (d.error.empty()) {
      out.docs.emplace_back(d.data, d.size);
      out.offsets.push_back(d.offset);
      EXPECT_GE(d.capacity, d.size + kDocumentPadding);
    } else {
      out.errors.push_back(d.error);
    }
  }
  return out;
}

TEST(DocumentSplitter, NdjsonWithBlankLinesAndCrlf) {
  Split s = SplitAll("\n{\"a\":1}\r\n\r\n{\"b\":\"x}{\"}\n  \n{\"c\":{\"d\":[1,{}]}}");
  ASSERT_EQ(s.docs.size(), 3u);
  EXPECT_EQ(s.docs[1], "{\"b\":\"x}{\"}");
  EXPECT_EQ(s.docs[2], "{\"c\":{\"d\":[1,{}]}}");
  EXPECT_EQ(s.offsets[0], 1u);
  EXPECT_TRUE(s.errors.empty());
}

TEST(DocumentSplitter, ArrayAndCommaSeparatedObjects) {
  EXPECT_EQ(SplitAll("[\n  {\"a\":1},\n  {\"a\":2}\n]\n").docs.size(), 2u);
  EXPECT_EQ(SplitAll("{\n \"a\": 1\n},\n{\n \"a\": 2\n}\n").docs.size(), 2u);
}

TEST(DocumentSplitter, StreamsWrapperYieldsItsElements) {
  Split s = SplitAll("{\n  \"streams\" : [ {\"a\":1}, {\"a\":{\"streams\":[]}} ]\n}\n{\"after\":true}");
  ASSERT_EQ(s.docs.size(), 3u);
  EXPECT_EQ(s.docs[1], "{\"a\":{\"streams\":[]}}");
  EXPECT_EQ(s.docs[2], "{\"after\":true}");
  EXPECT_TRUE(s.errors.empty());
}

TEST(DocumentSplitter, ByteOrderMarksAreSkipped) {
  // At the start of a file (as Windows tools write it), and between documents (files joined by
  // `cat`), read one byte at a time too so the mark straddles reads; the offsets stay the file's.
  const std::string bom = "\xEF\xBB\xBF";
  const std::string text = bom + "{\"a\":1}\n" + bom + "{\"b\":2}\n" + bom + "[\n  {\"c\":3}\n]\n";
  for (size_t max_read : {size_t{1}, size_t{2}, SIZE_MAX}) {
    Split s = SplitAll(text, max_read);
    ASSERT_EQ(s.docs.size(), 3u) << max_read;
    EXPECT_EQ(s.docs[0], "{\"a\":1}");
    EXPECT_EQ(s.docs[2], "{\"c\":3}");
    EXPECT_EQ(s.offsets[0], 3u);
    EXPECT_EQ(s.offsets[1], 14u);
    EXPECT_TRUE(s.errors.empty()) << s.errors[0];
  }
  // Not a whole mark: a line of garbage, as before.
  Split s = SplitAll("\xEF\xBB{\"a\":1}\n{\"b\":2}\n\xEF");
  ASSERT_EQ(s.docs.size(), 1u);
  EXPECT_EQ(s.docs[0], "{\"b\":2}");
  ASSERT_EQ(s.errors.size(), 2u);
  EXPECT_NE(s.errors[0].find("line 1, byte 0: unexpected byte 0xef outside a JSON object"), std::string::npos)
      << s.errors[0];
}

TEST(DocumentSplitter, EscapedQuotesAndBracesInStrings) {
  Split s = SplitAll(R"({"t":"a \"}\" {[ b\\"}{"u":"\\\\"})");
  ASSERT_EQ(s.docs.size(), 2u);
  EXPECT_EQ(s.docs[0], R"({"t":"a \"}\" {[ b\\"})");
}

TEST(DocumentSplitter, BrokenLineIsReportedAndReadingGoesOn) {
  Split s = SplitAll("{\"a\":1}\n{\"b\":\"unterminated\n{\"c\":3}\nnot json at all\n{\"d\":4}\n");
  ASSERT_EQ(s.docs.size(), 3u);
  ASSERT_EQ(s.errors.size(), 2u);
  EXPECT_NE(s.errors[0].find("line 2"), std::string::npos) << s.errors[0];
  EXPECT_NE(s.errors[0].find("unterminated string"), std::string::npos);
  EXPECT_NE(s.errors[1].find("line 4"), std::string::npos) << s.errors[1];
  EXPECT_NE(s.errors[1].find("unexpected 'n'"), std::string::npos);
}

TEST(DocumentSplitter, MissingClosingBraceResynchronisesAtNextLine) {
  Split s = SplitAll("{\"a\":{\"x\":1}\n{\"b\":2}\n");
  ASSERT_EQ(s.docs.size(), 1u);
  EXPECT_EQ(s.docs[0], "{\"b\":2}");
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find("object not closed"), std::string::npos);
}

TEST(DocumentSplitter, TruncatedAtEndOfInput) {
  Split s = SplitAll("{\"a\":1}\n{\"b\":[1,2");
  EXPECT_EQ(s.docs.size(), 1u);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find("end of input inside an object"), std::string::npos);
}

TEST(DocumentSplitter, OversizedDocumentIsSkippedWithBoundedMemory) {
  std::string big = "{\"x\":\"" + std::string(5 << 20, 'y') + "\"}";
  std::string input = "{\"a\":1}\n" + big + "\n{\"b\":2}\n";
  Split s = SplitAll(input, 1 << 16, 1 << 20);
  ASSERT_EQ(s.docs.size(), 2u);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_NE(s.errors[0].find("larger than the limit of 1048576"), std::string::npos) << s.errors[0];
}

// Framing skips 16 bytes at a time: a quote, backslash or brace is found wherever it falls in such
// a block, and an escaped quote or backslash never ends a string.
TEST(DocumentSplitter, StructuralBytesAtEveryOffsetOfABlock) {
  std::string input;
  std::vector<std::string> expected;
  for (int k = 0; k < 40; ++k) {
    const std::string pad(k, 'x');
    expected.push_back("{\"s\":\"" + pad + "\\\"}{" + pad + "\\\\\",\"o\":{\"" + pad + "\":[" + std::to_string(k) + "]}}");
    input += expected.back() + (k % 2 ? "\n" : " ");
  }
  Split s = SplitAll(input);
  EXPECT_TRUE(s.errors.empty()) << s.errors[0];
  EXPECT_EQ(s.docs, expected);
}

// An oversized document keeps exactly its first limit + 1 bytes (where it was found too large),
// even when that point falls inside a long string.
TEST(DocumentSplitter, OversizedDocumentKeepsItsFirstBytes) {
  const std::string big = "{\"x\":\"" + std::string(300, 'y') + "\"}";
  const std::string input = "{\"a\":1}\n" + big + "\n{\"b\":2}\n";
  MemoryByteSource src(input, 7);
  DocumentSplitter splitter(&src, 100);
  std::vector<RawDocument> docs;
  for (;;) {
    RawDocument d;
    bool have = false;
    ASSERT_TRUE(splitter.Next(&d, &have).ok());
    if (!have) break;
    if (!d.error.empty()) {
      EXPECT_EQ(std::string(d.data, d.size), big.substr(0, 101)) << d.error;
      EXPECT_NE(d.error.find("document of 308 bytes is larger than the limit of 100 (first 101 bytes kept)"),
                std::string::npos) << d.error;
      EXPECT_EQ(d.offset, 8u);
    }
    docs.push_back(d);
  }
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_TRUE(docs[0].error.empty());
  EXPECT_FALSE(docs[1].error.empty());
  EXPECT_TRUE(docs[2].error.empty());
}

// The same bytes split the same way whatever the read sizes (chunk boundaries anywhere).
TEST(DocumentSplitter, RealRecordingsAreChunkingInvariant) {
  for (const std::string& path : testing::AllRecordings()) {
    std::string bytes = testing::ReadFile(path);
    Split whole = SplitAll(bytes);
    for (size_t chunk : {1u, 7u, 4096u}) {
      if (chunk == 1 && bytes.size() > 400000) continue;  // keep the test quick
      Split parts = SplitAll(bytes, chunk);
      EXPECT_EQ(parts.docs, whole.docs) << path << " chunk " << chunk;
    }
    EXPECT_TRUE(whole.errors.empty()) << path << ": " << (whole.errors.empty() ? "" : whole.errors[0]);
    EXPECT_GT(whole.docs.size(), 0u) << path;
  }
}

TEST(DocumentSplitter, ResumeContinuesInsideAnArray) {
  std::string input = "[{\"a\":1},\n{\"a\":2},\n{\"a\":3}]";
  MemoryByteSource src(input);
  DocumentSplitter first(&src, 1 << 20);
  RawDocument d;
  bool have;
  ASSERT_TRUE(first.Next(&d, &have).ok());
  ASSERT_TRUE(have);
  uint64_t pos = first.position();
  std::string state = first.state();
  EXPECT_EQ(state, "L1;[");

  MemoryByteSource again(input);
  DocumentSplitter second(&again, 1 << 20);
  ASSERT_TRUE(second.Resume(pos, state).ok());
  std::vector<std::string> rest;
  while (second.Next(&d, &have).ok() && have) rest.emplace_back(d.data, d.size);
  EXPECT_EQ(rest, (std::vector<std::string>{"{\"a\":2}", "{\"a\":3}"}));
}

}  // namespace
}  // namespace litehouse::internal

// gen_events: resamples the real recordings into N realistic recentchange events (NDJSON).
//
//   gen_events N OUT.jsonl [--seed S] [--rate EVENTS_PER_S] [--data DIR]
//
// Templates are the events of the modern-schema recordings in shared/data (not the 2018
// Wikidata batches, which would make the mix one wiki). Each output event is a template with
// fresh identity and time: meta.id and meta.request_id (random UUIDs), meta.dt and timestamp
// (advancing at --rate events/s from 2024-08-22 00:00Z with a few seconds of jitter, so some
// arrive late), meta.offset, id (rcid), revision numbers, the user (half keep the
// template's, half come from a Zipf-like pool of 50,000 names; IP editors get fresh addresses),
// and the page (--fresh-pages of them, 0.9 by default, become one of a skewed pool of pages of
// the template's kind; see kFreshPages).
// The same seed gives the same bytes.
#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "engine/byte_source.h"
#include "engine/document_splitter.h"
#include "engine/json_writer.h"
#include "engine/time_util.h"
#include "engine/wiki_domain.h"

namespace {

using simdjson::dom::element;

// Pages: the recordings hold ~1,600 distinct pages, so resampling them alone put every page in
// an hour of 360,000 events ~220 times, where the real stream repeats a page far less (the
// 2-minute recording: 2,387 events on 1,327 pages). So most events get a page of their
// own kind: the template's title with a number from a skewed pool (a few pages edited often, a
// long tail edited once): an hour of 360,000 events then has 203,000 distinct pages (56%, as in
// the 2-minute recording).
constexpr double kFreshPages = 0.9;
constexpr double kPagesPerTemplate = 1000;

struct Overrides {
  std::string id, request_id, dt, user;
  std::string page;  // "" keeps the template's page; else appended to its title (" k") and URLs ("_k")
  int64_t timestamp, rcid, offset, rev_new, rev_old;
};

void Emit(const element& e, const std::string& path, const Overrides& o, std::string* out) {
  using T = simdjson::dom::element_type;
  auto str = [&](const std::string& s) {
    *out += '"';
    *out += s;  // generated values need no escaping
    *out += '"';
  };
  if (path == "/meta/id") return str(o.id);
  if (path == "/meta/request_id") return str(o.request_id);
  if (path == "/meta/dt") return str(o.dt);
  if (path == "/user" && e.type() == T::STRING) {
    if (o.user.empty()) {
      *out += simdjson::minify(e);
    } else {
      str(o.user);
    }
    return;
  }
  if (!o.page.empty() && e.type() == T::STRING && (path == "/title" || path == "/title_url" || path == "/meta/uri")) {
    std::string text(e.get_string().value_unsafe());
    text += path == "/title" ? ' ' : '_';
    text += o.page;
    *out += litehouse::internal::JsonString(text);
    return;
  }
  if (path == "/timestamp" && e.type() != T::NULL_VALUE) return (void)(*out += std::to_string(o.timestamp));
  if (path == "/id" && e.type() != T::NULL_VALUE) return (void)(*out += std::to_string(o.rcid));
  if (path == "/meta/offset") return (void)(*out += std::to_string(o.offset));
  if (path == "/revision/new") return (void)(*out += std::to_string(o.rev_new));
  if (path == "/revision/old") return (void)(*out += std::to_string(o.rev_old));
  if (e.type() == T::OBJECT) {
    *out += '{';
    bool first = true;
    simdjson::dom::object object = e.get_object().value_unsafe();  // keep it: the range-for outlives temporaries
    for (auto field : object) {
      if (!first) *out += ',';
      first = false;
      *out += '"';
      *out += std::string(field.key);
      *out += "\":";
      Emit(field.value, path + "/" + std::string(field.key), o, out);
    }
    *out += '}';
  } else {
    *out += simdjson::minify(e);
  }
}

std::string Uuid(std::mt19937_64& rng) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  uint64_t a = rng(), b = rng();
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
    uint64_t v = i < 16 ? a >> (i * 4) : b >> ((i - 16) * 4);
    s += kHex[i == 12 ? 4 : (i == 16 ? 8 + (v & 3) : v & 15)];
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gen_events N OUT.jsonl [--seed S] [--rate EVENTS_PER_S] [--fresh-pages SHARE] "
                         "[--data DIR]\n");
    return 2;
  }
  uint64_t n = std::strtoull(argv[1], nullptr, 10);
  std::string out_path = argv[2];
  uint64_t seed = 42;
  double rate = 100;
  double fresh_pages = kFreshPages;
  std::string data = "../shared/data";
  if (const char* d = std::getenv("LITEHOUSE_DATA")) data = d;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--rate") rate = std::atof(argv[i + 1]);
    else if (a == "--fresh-pages") fresh_pages = std::atof(argv[i + 1]);
    else if (a == "--data") data = argv[i + 1];
  }
  const char* files[] = {"yearfunla-wikiMedia_stream_monitor/recentchange_raw.json", "electricsql-rag/output.json",
                         "sat99496-wikistream-lakehouse/recentchanges_sample.jsonl",
                         "amommendes-wikimedia_stream/message.json", "amommendes-wikimedia_stream/app_message.json"};
  std::vector<std::string> templates;  // the documents' bytes, padded for simdjson
  for (const char* f : files) {
    std::unique_ptr<litehouse::internal::ByteSource> src;
    litehouse::internal::SourceInfo info;
    std::string path = data + "/recentchange/" + f;
    if (!litehouse::internal::OpenByteSource(path, &src, &info).ok()) {
      std::fprintf(stderr, "gen_events: cannot read %s (set LITEHOUSE_DATA)\n", path.c_str());
      return 1;
    }
    litehouse::internal::DocumentSplitter splitter(src.get(), 1 << 22);
    litehouse::internal::RawDocument doc;
    bool have;
    while (splitter.Next(&doc, &have).ok() && have) {
      if (doc.error.empty()) templates.emplace_back(doc.data, doc.size);
    }
  }
  simdjson::dom::parser parser;
  FILE* out = std::fopen(out_path.c_str(), "wb");
  if (!out) {
    std::perror(out_path.c_str());
    return 1;
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const int64_t base_ms = 1724284800000;  // 2024-08-22 00:00:00Z
  std::string line;
  for (uint64_t i = 0; i < n; ++i) {
    size_t t = rng() % templates.size();
    element root;
    if (parser.parse(templates[t]).get(root)) {
      std::fprintf(stderr, "gen_events: template %zu does not parse\n", t);
      return 1;
    }
    Overrides o;
    o.id = Uuid(rng);
    o.request_id = Uuid(rng);
    int64_t ms = base_ms + static_cast<int64_t>(i * 1000.0 / rate) + static_cast<int64_t>(rng() % 4000) - 2000;
    if (rng() % 1000 == 0) ms -= 3600 * 1000;  // a late event from an hour ago
    std::string ts = litehouse::internal::FormatTime(ms);
    o.dt = ts.substr(0, 10) + "T" + ts.substr(11, 8) + ((i & 1) ? "Z" : ts.substr(19) + "Z");
    o.timestamp = ms / 1000;
    o.rcid = 500000000 + static_cast<int64_t>(i);
    o.offset = 5356060663 + static_cast<int64_t>(i);
    o.rev_new = 2000000000 + static_cast<int64_t>(i);
    o.rev_old = o.rev_new - 1 - static_cast<int64_t>(rng() % 100000);
    std::string_view user;
    if (root["user"].get_string().get(user) == simdjson::SUCCESS && unit(rng) < 0.5) {
      if (litehouse::internal::IsIpAddress(user)) {
        o.user = std::to_string(rng() % 223 + 1) + "." + std::to_string(rng() % 256) + "." +
                 std::to_string(rng() % 256) + "." + std::to_string(rng() % 256);
      } else {
        o.user = "User" + std::to_string(static_cast<uint64_t>(std::pow(unit(rng), 3) * 50000));
      }
    }
    if (unit(rng) < fresh_pages) {
      o.page = std::to_string(static_cast<uint64_t>(std::pow(unit(rng), 2) * kPagesPerTemplate));
    }
    line.clear();
    Emit(root, "", o, &line);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  }
  std::fclose(out);
  return 0;
}

// bronze_parsed(lo, hi): Bronze rows lo < bronze_id <= hi, decompressed and parsed once.
//
//   SELECT type, count(*) FROM bronze_parsed(0, 1000) GROUP BY type;
//
// This is what sql/refresh_10_silver.sql builds Silver from: the C++ side only decodes (zstd +
// simdjson); every rule that makes a row Silver is in SQL. Columns: bronze_id, event_id,
// event_time, ingested_at, domain (from Bronze), then from the event: type, namespace, title,
// user_name, wiki, comment, log_type, log_action, rc_id, revision_old, revision_new,
// length_old, length_new, bot, minor, patrolled (NULL when the event does not say),
// parse_error (NULL unless the payload cannot be decoded), and event_time_ms (Bronze's: the
// time as Silver stores it). Hidden columns: lo, hi. A row is decoded only when one of the
// event's columns is read.
//
// xBestIndex/xFilter contract: equality constraints on lo and hi are both required (argvIndex 1
// and 2); rows come in bronze_id order. NULL bounds give no rows.
//
// A scan that decodes a long range (a refresh's Silver step) hands the decoding of the rows
// ahead to a PayloadPrefetcher on the other core; what it returns does not depend on that.
#include <cstring>
#include <memory>
#include <string>

#include "engine/bronze_codec.h"
#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/payload_prefetcher.h"
#include "engine/sqlite_util.h"
#include "engine/time_util.h"
#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

enum Column {
  kBronzeId, kEventId, kEventTime, kIngestedAt, kDomain, kType, kNamespace, kTitle, kUserName, kWiki, kComment,
  kLogType, kLogAction, kRcId, kRevisionOld, kRevisionNew, kLengthOld, kLengthNew, kBot, kMinor, kPatrolled,
  kParseError, kEventTimeMs, kLo, kHi
};

struct BronzeParsedTable {
  sqlite3_vtab base;
  sqlite3* db;
};

struct BronzeParsedCursor {
  sqlite3_vtab_cursor base;
  sqlite3* db;
  internal::Stmt scan;
  internal::BronzeDecompressor decompressor;
  internal::EventParser parser;
  internal::ParsedEvent event;
  const internal::ParsedEvent* decoded_event = &event;  // event, or a prefetched row's
  std::string text;
  std::string error;
  bool have = false;
  bool decoded = false;  // decoding waits until a decoded column is asked for
  // Prefetching: tried once per scan, after kPrefetchAfterRows rows were decoded, when at least
  // kPrefetchMinRows remain up to hi (and CanPrefetch).
  std::unique_ptr<internal::PayloadPrefetcher> prefetcher;
  bool prefetch_tried = false;
  int64_t decoded_rows = 0;
  int64_t hi = 0;
};

constexpr int64_t kPrefetchAfterRows = 256;
constexpr int64_t kPrefetchMinRows = 4096;

// Whether a prefetcher may read this database: a WAL file (its reader never blocks our writes),
// and a SQLite built for threads (the extension may be loaded into any host).
bool CanPrefetch(sqlite3* db) {
  if (sqlite3_threadsafe() == 0) return false;
  const char* path = sqlite3_db_filename(db, "main");
  if (path == nullptr || *path == '\0') return false;
  internal::Stmt s;
  if (!s.Prepare(db, "PRAGMA main.journal_mode").ok() || s.Step() != SQLITE_ROW) return false;
  return s.ColumnText(0) == "wal";
}

int Connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**) {
  int rc = sqlite3_declare_vtab(db,
                                "CREATE TABLE x(bronze_id INTEGER, event_id TEXT, event_time TEXT, ingested_at TEXT, "
                                "domain TEXT, type TEXT, namespace INTEGER, title TEXT, user_name TEXT, wiki TEXT, "
                                "comment TEXT, log_type TEXT, log_action TEXT, rc_id INTEGER, revision_old INTEGER, "
                                "revision_new INTEGER, length_old INTEGER, length_new INTEGER, bot INTEGER, "
                                "minor INTEGER, patrolled INTEGER, parse_error TEXT, event_time_ms INTEGER, lo HIDDEN, "
                                "hi HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  auto* t = static_cast<BronzeParsedTable*>(sqlite3_malloc(sizeof(BronzeParsedTable)));
  if (!t) return SQLITE_NOMEM;
  std::memset(t, 0, sizeof(*t));
  t->db = db;
  *out = &t->base;
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

int BestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  int lo = -1, hi = -1;
  bool seen = false;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.iColumn != kLo && c.iColumn != kHi) continue;
    seen = true;
    if (!c.usable || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    (c.iColumn == kLo ? lo : hi) = i;
  }
  if (lo < 0 || hi < 0) {
    if (seen) return SQLITE_CONSTRAINT;
    SetVtabError(vtab, "bronze_parsed needs a range: SELECT * FROM bronze_parsed(lo, hi)");
    return SQLITE_ERROR;
  }
  info->aConstraintUsage[lo].argvIndex = 1;
  info->aConstraintUsage[lo].omit = 1;
  info->aConstraintUsage[hi].argvIndex = 2;
  info->aConstraintUsage[hi].omit = 1;
  info->estimatedCost = 1000;
  if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == kBronzeId && !info->aOrderBy[0].desc) {
    info->orderByConsumed = 1;
  }
  return SQLITE_OK;
}

int Open(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
  return GuardRc(vtab, [&] {
    auto* c = new BronzeParsedCursor();
    c->db = reinterpret_cast<BronzeParsedTable*>(vtab)->db;
    *out = &c->base;
    return SQLITE_OK;
  });
}

int Close(sqlite3_vtab_cursor* cur) {
  delete reinterpret_cast<BronzeParsedCursor*>(cur);
  return SQLITE_OK;
}

int Advance(BronzeParsedCursor* c) {
  int rc = c->scan.Step();
  if (rc == SQLITE_DONE) {
    c->have = false;
    return SQLITE_OK;
  }
  if (rc != SQLITE_ROW) {
    SetVtabError(c->base.pVtab, std::string("bronze_parsed: ") + sqlite3_errmsg(c->db));
    return SQLITE_ERROR;
  }
  c->have = true;
  c->decoded = false;
  return SQLITE_OK;
}

// Decompresses and parses the current row once, the first time a decoded column is read, so a
// query that filters on the Bronze columns (bronze_id, domain, ...) never pays for rows it skips.
void Decode(BronzeParsedCursor* c) {
  if (c->decoded) return;
  c->decoded = true;
  c->error.clear();
  c->decoded_event = &c->event;
  sqlite3_stmt* st = c->scan.get();
  const int64_t id = sqlite3_column_int64(st, 0);
  const void* payload = sqlite3_column_blob(st, 5);
  const size_t size = static_cast<size_t>(sqlite3_column_bytes(st, 5));
  if (!c->prefetch_tried && ++c->decoded_rows > kPrefetchAfterRows && c->hi - id >= kPrefetchMinRows) {
    c->prefetch_tried = true;
    if (CanPrefetch(c->db)) {
      c->prefetcher = std::make_unique<internal::PayloadPrefetcher>(sqlite3_db_filename(c->db, "main"), id, c->hi);
    }
  } else if (c->prefetcher) {
    if (const internal::PrefetchedRow* row = c->prefetcher->Find(id, payload, size)) {
      c->decoded_event = &row->event;
      c->error.assign(row->error);
      return;
    }
    if (c->prefetcher->abandoned()) c->prefetcher.reset();
  }
  internal::DecodeBronzePayload(c->db, payload, size, &c->decompressor, &c->parser, &c->text, &c->event, &c->error);
}

int Filter(sqlite3_vtab_cursor* cur, int, const char*, int argc, sqlite3_value** argv) {
  auto* c = reinterpret_cast<BronzeParsedCursor*>(cur);
  return GuardRc(cur->pVtab, [&] {
    c->have = false;
    if (argc < 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
      return SQLITE_OK;
    }
    if (!c->scan) {
      Status s = c->scan.Prepare(c->db,
                                 "SELECT bronze_id, event_id_coded, event_time_ms, ingested_at_ms, domain, payload FROM main.bronze_events "
                                 "WHERE bronze_id > ? AND bronze_id <= ? ORDER BY bronze_id");
      if (!s.ok()) {
        SetVtabError(cur->pVtab, "bronze_parsed: " + s.message());
        return SQLITE_ERROR;
      }
    }
    sqlite3_reset(c->scan.get());
    c->prefetcher.reset();
    c->prefetch_tried = false;
    c->decoded_rows = 0;
    c->hi = sqlite3_value_int64(argv[1]);
    c->scan.BindInt(1, sqlite3_value_int64(argv[0]));
    c->scan.BindInt(2, sqlite3_value_int64(argv[1]));
    return Advance(c);
  });
}

int Next(sqlite3_vtab_cursor* cur) {
  auto* c = reinterpret_cast<BronzeParsedCursor*>(cur);
  return GuardRc(cur->pVtab, [&] { return Advance(c); });
}

int Eof(sqlite3_vtab_cursor* cur) { return reinterpret_cast<BronzeParsedCursor*>(cur)->have ? 0 : 1; }

void Text(sqlite3_context* ctx, bool has, std::string_view v) {
  if (has) ResultText(ctx, v); else sqlite3_result_null(ctx);
}
template <typename T>
void Opt(sqlite3_context* ctx, const std::optional<T>& v) {
  if (v) sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(*v)); else sqlite3_result_null(ctx);
}

int ColumnFn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int column) {
  auto* c = reinterpret_cast<BronzeParsedCursor*>(cur);
  sqlite3_stmt* st = c->scan.get();
  if (column == kEventTime || column == kIngestedAt) {  // Bronze stores them as milliseconds
    char text[24];
    size_t n = internal::FormatTime(sqlite3_column_int64(st, column), text);
    sqlite3_result_text(ctx, text, static_cast<int>(n), SQLITE_TRANSIENT);
    return SQLITE_OK;
  }
  if (column == kEventId && sqlite3_column_type(st, kEventId) == SQLITE_BLOB &&
      sqlite3_column_bytes(st, kEventId) == static_cast<int>(internal::kUuidBytes)) {  // Bronze stores a UUID as its bytes
    char text[internal::kUuidChars];
    internal::SpellUuid(static_cast<const unsigned char*>(sqlite3_column_blob(st, kEventId)), text);
    sqlite3_result_text(ctx, text, static_cast<int>(internal::kUuidChars), SQLITE_TRANSIENT);
    return SQLITE_OK;
  }
  if (column == kEventTimeMs) {
    sqlite3_result_int64(ctx, sqlite3_column_int64(st, 2));
    return SQLITE_OK;
  }
  if (column <= kDomain) {
    sqlite3_result_value(ctx, sqlite3_column_value(st, column));
    return SQLITE_OK;
  }
  Guard(ctx, [&] { Decode(c); });
  if (column == kParseError) {
    if (c->error.empty()) sqlite3_result_null(ctx); else ResultText(ctx, c->error);
    return SQLITE_OK;
  }
  if (!c->error.empty()) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  const internal::ParsedEvent& e = *c->decoded_event;
  Guard(ctx, [&] {
    switch (column) {
      case kType: return Text(ctx, e.has_type, e.type);
      case kNamespace: return Opt(ctx, e.namespace_id);
      case kTitle: return Text(ctx, e.has_title, e.title);
      case kUserName: return Text(ctx, e.has_user, e.user);
      case kWiki: return Text(ctx, e.has_wiki, e.wiki);
      case kComment: return Text(ctx, e.has_comment, e.comment);
      case kLogType: return Text(ctx, e.has_log_type, e.log_type);
      case kLogAction: return Text(ctx, e.has_log_action, e.log_action);
      case kRcId: return Opt(ctx, e.rc_id);
      case kRevisionOld: return Opt(ctx, e.revision_old);
      case kRevisionNew: return Opt(ctx, e.revision_new);
      case kLengthOld: return Opt(ctx, e.length_old);
      case kLengthNew: return Opt(ctx, e.length_new);
      case kBot: return Opt(ctx, e.bot);
      case kMinor: return Opt(ctx, e.minor);
      case kPatrolled: return Opt(ctx, e.patrolled);
      default: return sqlite3_result_null(ctx);
    }
  });
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* out) {
  *out = sqlite3_column_int64(reinterpret_cast<BronzeParsedCursor*>(cur)->scan.get(), 0);
  return SQLITE_OK;
}

sqlite3_module kModule = {
    0, nullptr, Connect, BestIndex, Disconnect, nullptr, Open, Close, Filter, Next, Eof, ColumnFn, Rowid,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

}  // namespace

void RegisterBronzeParsed(Registrar* r) {
  if (r->rc != SQLITE_OK) return;
  r->rc = sqlite3_create_module_v2(r->db, "bronze_parsed", &kModule, nullptr, nullptr);
  if (r->rc != SQLITE_OK) r->error = std::string("cannot register bronze_parsed: ") + sqlite3_errmsg(r->db);
}

}  // namespace litehouse::udf

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
//
// bronze_field(payload, name) → any: the same decoding of one payload, one of the event's columns
// above by name (type ... patrolled, parse_error). bronze_fields(payload, name, ...) → TEXT: a
// JSON object of the named fields the event has: Bronze's generated column `decoded`, from which
// the silver_events view reads comment, rc_id, ... (sql/schema_10_bronze.sql), so that Silver
// need not store them.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine/bronze_codec.h"
#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/json_writer.h"
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

// The columns' names and types, in Column's order (bronze_field() takes the same names).
struct ColumnName {
  const char* name;
  const char* type;
};
constexpr ColumnName kColumns[] = {
    {"bronze_id", "INTEGER"}, {"event_id", "TEXT"}, {"event_time", "TEXT"}, {"ingested_at", "TEXT"},
    {"domain", "TEXT"}, {"type", "TEXT"}, {"namespace", "INTEGER"}, {"title", "TEXT"}, {"user_name", "TEXT"},
    {"wiki", "TEXT"}, {"comment", "TEXT"}, {"log_type", "TEXT"}, {"log_action", "TEXT"}, {"rc_id", "INTEGER"},
    {"revision_old", "INTEGER"}, {"revision_new", "INTEGER"}, {"length_old", "INTEGER"}, {"length_new", "INTEGER"},
    {"bot", "INTEGER"}, {"minor", "INTEGER"}, {"patrolled", "INTEGER"}, {"parse_error", "TEXT"},
    {"event_time_ms", "INTEGER"}, {"lo", "HIDDEN"}, {"hi", "HIDDEN"}};
static_assert(sizeof(kColumns) / sizeof(kColumns[0]) == kHi + 1);

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
  int64_t lo = 0, hi = 0;  // the arguments, which SQLite may read back as the hidden columns
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
  std::string declaration = "CREATE TABLE x(";
  for (int i = 0; i <= kHi; ++i) {
    declaration += std::string(i ? ", " : "") + kColumns[i].name + " " + kColumns[i].type;
  }
  int rc = sqlite3_declare_vtab(db, (declaration + ")").c_str());
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
    c->lo = sqlite3_value_int64(argv[0]);
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

// One of the event's own columns (kType ... kPatrolled) of a decoded event: what bronze_parsed,
// bronze_field() and bronze_fields() return.
struct FieldValue {
  enum Kind { kNull, kInteger, kText } kind = kNull;
  int64_t integer = 0;
  std::string_view text;
};

FieldValue Text(bool has, std::string_view v) { return has ? FieldValue{FieldValue::kText, 0, v} : FieldValue{}; }
template <typename T>
FieldValue Opt(const std::optional<T>& v) {
  return v ? FieldValue{FieldValue::kInteger, static_cast<int64_t>(*v), {}} : FieldValue{};
}

FieldValue EventColumn(const internal::ParsedEvent& e, int column) {
  switch (column) {
    case kType: return Text(e.has_type, e.type);
    case kNamespace: return Opt(e.namespace_id);
    case kTitle: return Text(e.has_title, e.title);
    case kUserName: return Text(e.has_user, e.user);
    case kWiki: return Text(e.has_wiki, e.wiki);
    case kComment: return Text(e.has_comment, e.comment);
    case kLogType: return Text(e.has_log_type, e.log_type);
    case kLogAction: return Text(e.has_log_action, e.log_action);
    case kRcId: return Opt(e.rc_id);
    case kRevisionOld: return Opt(e.revision_old);
    case kRevisionNew: return Opt(e.revision_new);
    case kLengthOld: return Opt(e.length_old);
    case kLengthNew: return Opt(e.length_new);
    case kBot: return Opt(e.bot);
    case kMinor: return Opt(e.minor);
    case kPatrolled: return Opt(e.patrolled);
    default: return {};
  }
}

void ResultField(sqlite3_context* ctx, const FieldValue& v) {
  switch (v.kind) {
    case FieldValue::kInteger: return sqlite3_result_int64(ctx, v.integer);
    case FieldValue::kText: return ResultText(ctx, v.text);
    case FieldValue::kNull: return sqlite3_result_null(ctx);
  }
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
  // SQLite checks lo and hi itself when it cannot leave them to xFilter (it can omit only the
  // first 16 constraints it offers: a query with many more terms reads them back).
  if (column == kLo || column == kHi) {
    sqlite3_result_int64(ctx, column == kLo ? c->lo : c->hi);
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
  Guard(ctx, [&] { ResultField(ctx, EventColumn(*c->decoded_event, column)); });
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* out) {
  *out = sqlite3_column_int64(reinterpret_cast<BronzeParsedCursor*>(cur)->scan.get(), 0);
  return SQLITE_OK;
}

sqlite3_module kModule = {
    0, nullptr, Connect, BestIndex, Disconnect, nullptr, Open, Close, Filter, Next, Eof, ColumnFn, Rowid,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

// bronze_field(payload, name) and bronze_fields(payload, name, ...): decoded fields of one
// payload, as bronze_parsed reads them. The last payload decoded is kept (per connection and
// function), so the fields of one row that a query reads one by one (the silver_events view's
// comment, rc_id, ...) decode it once.
struct BronzeFieldState {
  internal::BronzeDecompressor decompressor;
  internal::EventParser parser;
  internal::ParsedEvent event;
  std::string text, error, payload;  // payload: the bytes decoded last
  bool have = false;
  // bronze_fields(): the last object made, and the names it was made of (for the same payload)
  std::string json;
  std::vector<int> json_columns;
};

void DestroyBronzeFieldState(void* p) { delete static_cast<BronzeFieldState*>(p); }

// The column of a field name, kType ... kParseError; -1 (with an error set) for any other name.
int FieldColumn(sqlite3_context* ctx, const char* fn, sqlite3_value* name_value) {
  const std::string_view name = ArgText(name_value);
  for (int i = kType; i <= kParseError; ++i) {
    if (name == kColumns[i].name) return i;
  }
  std::string names;
  for (int i = kType; i <= kParseError; ++i) names += std::string(i > kType ? ", " : "") + kColumns[i].name;
  ResultError(ctx, std::string(fn) + ": no field '" + std::string(name) + "' (one of " + names + ")");
  return -1;
}

// Decodes argv[0] unless it is the payload decoded last. False (with an error set) when it is
// not a BLOB; a payload that cannot be decoded leaves state->error set.
bool DecodeArgument(sqlite3_context* ctx, const char* fn, sqlite3_value* arg, BronzeFieldState* state) {
  if (sqlite3_value_type(arg) != SQLITE_BLOB) {
    ResultError(ctx, std::string(fn) + ": the first argument is a Bronze payload (a BLOB, bronze_events.payload)");
    return false;
  }
  const std::string_view payload(static_cast<const char*>(sqlite3_value_blob(arg)),
                                 static_cast<size_t>(sqlite3_value_bytes(arg)));
  if (state->have && payload == state->payload) return true;
  state->have = false;
  state->error.clear();
  state->json_columns.clear();
  internal::DecodeBronzePayload(sqlite3_context_db_handle(ctx), payload.data(), payload.size(), &state->decompressor,
                                &state->parser, &state->text, &state->event, &state->error);
  state->payload.assign(payload);
  state->have = true;
  return true;
}

FieldValue StateField(const BronzeFieldState& state, int column) {
  if (column == kParseError) return Text(!state.error.empty(), state.error);
  if (!state.error.empty()) return {};
  return EventColumn(state.event, column);
}

void BronzeFieldFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    const int column = FieldColumn(ctx, "bronze_field", argv[1]);
    if (column < 0) return;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    auto* state = static_cast<BronzeFieldState*>(sqlite3_user_data(ctx));
    if (!DecodeArgument(ctx, "bronze_field", argv[0], state)) return;
    ResultField(ctx, StateField(*state, column));
  });
}

// A JSON object of the named fields that the event has (absent ones are left out):
// json_extract() reads them back with their SQL types.
void BronzeFieldsFn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (argc < 1) return ResultError(ctx, "bronze_fields: expected bronze_fields(payload, name, ...)");
    std::vector<int> columns;
    for (int i = 1; i < argc; ++i) {
      columns.push_back(FieldColumn(ctx, "bronze_fields", argv[i]));
      if (columns.back() < 0) return;
    }
    // (a row litehouse is writing: SQLite computes `decoded` and throws it away; engine/bronze_codec.h)
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || internal::BronzeInsertScope::active()) {
      return sqlite3_result_null(ctx);
    }
    auto* state = static_cast<BronzeFieldState*>(sqlite3_user_data(ctx));
    if (!DecodeArgument(ctx, "bronze_fields", argv[0], state)) return;
    if (columns != state->json_columns) {  // (the view reads one row's `decoded` once per field)
      internal::JsonObjectWriter json;
      for (int column : columns) {
        const FieldValue v = StateField(*state, column);
        if (v.kind == FieldValue::kInteger) json.AddInteger(kColumns[column].name, v.integer);
        if (v.kind == FieldValue::kText) json.AddString(kColumns[column].name, v.text);
      }
      state->json = json.Finish();
      state->json_columns = columns;
    }
    ResultText(ctx, state->json);
  });
}

}  // namespace

void RegisterBronzeParsed(Registrar* r) {
  if (r->rc != SQLITE_OK) return;
  r->rc = sqlite3_create_module_v2(r->db, "bronze_parsed", &kModule, nullptr, nullptr);
  if (r->rc != SQLITE_OK) {
    r->error = std::string("cannot register bronze_parsed: ") + sqlite3_errmsg(r->db);
    return;
  }
  AddFunction(r, {"bronze_field"}, 2, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, new BronzeFieldState, BronzeFieldFn,
              DestroyBronzeFieldState);
  AddFunction(r, {"bronze_fields"}, -1, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, new BronzeFieldState, BronzeFieldsFn,
              DestroyBronzeFieldState);
}

}  // namespace litehouse::udf

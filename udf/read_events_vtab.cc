// read_events(path): a table-valued function that streams the events of a file.
//
//   SELECT domain, count(*) FROM read_events('recentchange.jsonl.zst') GROUP BY domain;
//
// Reads every shape the ingester reads (NDJSON, JSON array, concatenated objects, the
// {"streams":[...]} wrapper; plain, .zst or .gz) with bounded memory, one document at a time.
// Columns: event_id (meta.id, else the content-derived id), event_time ('YYYY-MM-DD HH:MM:SS.SSS'
// UTC), domain, type, namespace, title, user_name, bot, wiki, json (the document's text),
// source_offset (byte offset in the decompressed file), line, and error: NULL for a readable
// event, else why it is not one (then only json, source_offset and line are set). Hidden column:
// path (the argument).
//
// xBestIndex/xFilter contract: the plan must give an equality constraint on `path` (argvIndex 1);
// a plan without one is refused with SQLITE_CONSTRAINT, and a query without one fails with a
// message. The table reads files, so it is SQLITE_VTAB_DIRECTONLY.
#include <cstring>
#include <memory>
#include <string>

#include "engine/byte_source.h"
#include "engine/document_splitter.h"
#include "engine/event_id.h"
#include "engine/event_parser.h"
#include "engine/time_util.h"
#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

enum Column {
  kEventId, kEventTime, kDomain, kType, kNamespace, kTitle, kUserName, kBot, kWiki, kJson, kOffset, kLine, kError,
  kPath
};

struct ReadEventsTable {
  sqlite3_vtab base;
};

struct ReadEventsCursor {
  sqlite3_vtab_cursor base;
  std::unique_ptr<internal::ByteSource> source;
  std::unique_ptr<internal::DocumentSplitter> splitter;
  internal::EventParser parser;
  internal::RawDocument doc;
  internal::ParsedEvent event;
  std::string error;
  bool have = false;
  sqlite3_int64 rowid = 0;
};

int Connect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**) {
  int rc = sqlite3_declare_vtab(db,
                                "CREATE TABLE x(event_id TEXT, event_time TEXT, domain TEXT, type TEXT, "
                                "namespace INTEGER, title TEXT, user_name TEXT, bot INTEGER, wiki TEXT, json TEXT, "
                                "source_offset INTEGER, line INTEGER, error TEXT, path HIDDEN)");
  if (rc != SQLITE_OK) return rc;
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  auto* t = static_cast<ReadEventsTable*>(sqlite3_malloc(sizeof(ReadEventsTable)));
  if (!t) return SQLITE_NOMEM;
  std::memset(t, 0, sizeof(*t));
  *out = &t->base;
  return SQLITE_OK;
}

int Disconnect(sqlite3_vtab* vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

int BestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info) {
  bool seen = false;
  for (int i = 0; i < info->nConstraint; ++i) {
    const auto& c = info->aConstraint[i];
    if (c.iColumn != kPath) continue;
    seen = true;
    if (c.usable && c.op == SQLITE_INDEX_CONSTRAINT_EQ) {
      info->aConstraintUsage[i].argvIndex = 1;
      info->aConstraintUsage[i].omit = 1;
      info->estimatedCost = 1e6;
      info->estimatedRows = 100000;
      return SQLITE_OK;
    }
  }
  if (seen) return SQLITE_CONSTRAINT;
  SetVtabError(vtab, "read_events needs a file: SELECT * FROM read_events('events.jsonl')");
  return SQLITE_ERROR;
}

int Open(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
  return GuardRc(vtab, [&] {
    auto* c = new ReadEventsCursor();
    *out = &c->base;
    return SQLITE_OK;
  });
}

int Close(sqlite3_vtab_cursor* cur) {
  delete reinterpret_cast<ReadEventsCursor*>(cur);
  return SQLITE_OK;
}

int Advance(ReadEventsCursor* c) {
  c->error.clear();
  Status s = c->splitter->Next(&c->doc, &c->have);
  if (!s.ok()) {
    SetVtabError(c->base.pVtab, "read_events: " + s.message());
    return SQLITE_ERROR;
  }
  if (!c->have) return SQLITE_OK;
  ++c->rowid;
  if (!c->doc.error.empty()) {
    c->error = c->doc.error;
  } else {
    std::string reason;
    if (!c->parser.Parse(c->doc.data, c->doc.size, c->doc.capacity, &c->event, &reason)) {
      c->error = "line " + std::to_string(c->doc.line) + ", byte " + std::to_string(c->doc.offset) + ": " + reason;
    }
  }
  return SQLITE_OK;
}

int Filter(sqlite3_vtab_cursor* cur, int, const char*, int argc, sqlite3_value** argv) {
  auto* c = reinterpret_cast<ReadEventsCursor*>(cur);
  return GuardRc(cur->pVtab, [&] {
    c->have = false;
    c->rowid = 0;
    if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return SQLITE_OK;  // NULL path: no rows
    std::string path(ArgText(argv[0]));
    internal::SourceInfo info;
    Status s = internal::OpenByteSource(path, &c->source, &info);
    if (!s.ok()) {
      SetVtabError(cur->pVtab, "read_events: " + s.message());
      return SQLITE_ERROR;
    }
    c->splitter = std::make_unique<internal::DocumentSplitter>(c->source.get(), 4u << 20);
    return Advance(c);
  });
}

int Next(sqlite3_vtab_cursor* cur) {
  auto* c = reinterpret_cast<ReadEventsCursor*>(cur);
  return GuardRc(cur->pVtab, [&] { return Advance(c); });
}

int Eof(sqlite3_vtab_cursor* cur) { return reinterpret_cast<ReadEventsCursor*>(cur)->have ? 0 : 1; }

void ResultOptionalText(sqlite3_context* ctx, bool has, std::string_view v) {
  if (has) ResultText(ctx, v); else sqlite3_result_null(ctx);
}

int ColumnFn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int column) {
  auto* c = reinterpret_cast<ReadEventsCursor*>(cur);
  Guard(ctx, [&] {
    const internal::ParsedEvent& e = c->event;
    bool ok = c->error.empty();
    switch (column) {
      case kJson: return ResultText(ctx, std::string_view(c->doc.data, c->doc.size));
      case kOffset: return sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(c->doc.offset));
      case kLine: return sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(c->doc.line));
      case kError: return ok ? sqlite3_result_null(ctx) : ResultText(ctx, c->error);
      default: break;
    }
    if (!ok) return sqlite3_result_null(ctx);
    switch (column) {
      case kEventId:
        return e.meta_id.empty() ? ResultText(ctx, internal::ContentEventId(std::string_view(c->doc.data, c->doc.size)))
                                 : ResultText(ctx, e.meta_id);
      case kEventTime: return ResultText(ctx, internal::FormatTime(e.event_time_ms));
      case kDomain: return ResultOptionalText(ctx, !e.domain.empty(), e.domain);
      case kType: return ResultOptionalText(ctx, e.has_type, e.type);
      case kNamespace: return e.namespace_id ? sqlite3_result_int64(ctx, *e.namespace_id) : sqlite3_result_null(ctx);
      case kTitle: return ResultOptionalText(ctx, e.has_title, e.title);
      case kUserName: return ResultOptionalText(ctx, e.has_user, e.user);
      case kBot: return e.bot ? sqlite3_result_int(ctx, *e.bot) : sqlite3_result_null(ctx);
      case kWiki: return ResultOptionalText(ctx, e.has_wiki, e.wiki);
      default: return sqlite3_result_null(ctx);
    }
  });
  return SQLITE_OK;
}

int Rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* out) {
  *out = reinterpret_cast<ReadEventsCursor*>(cur)->rowid;
  return SQLITE_OK;
}

sqlite3_module kModule = {
    /* iVersion */ 0, /* xCreate */ nullptr, Connect, BestIndex, Disconnect, /* xDestroy */ nullptr, Open, Close,
    Filter, Next, Eof, ColumnFn, Rowid,
    /* xUpdate .. xShadowName */ nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
    nullptr, nullptr};

}  // namespace

void RegisterReadEvents(Registrar* r) {
  if (r->rc != SQLITE_OK) return;
  r->rc = sqlite3_create_module_v2(r->db, "read_events", &kModule, nullptr, nullptr);
  if (r->rc != SQLITE_OK) r->error = std::string("cannot register read_events: ") + sqlite3_errmsg(r->db);
}

}  // namespace litehouse::udf

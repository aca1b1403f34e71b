// What a wiki domain or a user name says.
//
//   wiki_project('en.wikipedia.org')  → 'wikipedia'  (wiktionary, ..., wikidata, commons, meta,
//                                                     species, mediawiki, wikifunctions, other)
//   wiki_language('en.wikipedia.org') → 'en'         NULL for multilingual projects
//   wiki_region('en.wikipedia.org')   → 'americas'   from ref_language_region (this database's,
//                                                     or the shipped defaults when it has none);
//                                                     'global' for multilingual projects, 'other'
//                                                     when unknown
//   is_ip('192.0.2.1') → 1, is_ip('2001:db8::1') → 1, is_ip('Alice') → 0
// NULL in, NULL out.
#include <string>
#include <unordered_map>

#include "engine/sql_scripts.h"
#include "engine/wiki_domain.h"
#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

void ProjectFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    ResultText(ctx, internal::ClassifyDomain(ArgText(argv[0])).project);
  });
}

void LanguageFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    std::string_view lang = internal::ClassifyDomain(ArgText(argv[0])).language;
    if (lang.empty()) return sqlite3_result_null(ctx);
    ResultText(ctx, lang);
  });
}

// The shipped table, read once from the embedded sql/schema_40_ref_language_region.sql through
// a private in-memory database, so the SQL file stays the only copy of the data.
const std::unordered_map<std::string, std::string>& DefaultRegions() {
  static const std::unordered_map<std::string, std::string> regions = [] {
    std::unordered_map<std::string, std::string> m;
    sqlite3* mem = nullptr;
    if (sqlite3_open(":memory:", &mem) == SQLITE_OK) {
      std::string sql(internal::SqlScriptText("schema_40_ref_language_region"));
      if (sqlite3_exec(mem, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(mem, "SELECT language, region FROM ref_language_region", -1, &st, nullptr) == SQLITE_OK) {
          while (sqlite3_step(st) == SQLITE_ROW) {
            m.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                      reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
          }
        }
        sqlite3_finalize(st);
      }
    }
    sqlite3_close(mem);
    return m;
  }();
  return regions;
}

void RegionFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    internal::WikiDomain d = internal::ClassifyDomain(ArgText(argv[0]));
    if (d.language.empty()) {
      return sqlite3_result_text(ctx, d.project == "other" ? "other" : "global", -1, SQLITE_STATIC);
    }
    // The database's own table wins (people edit it); it is prepared per call, never cached, so
    // no statement outlives the call and blocks the connection from closing.
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(sqlite3_context_db_handle(ctx), "SELECT region FROM main.ref_language_region WHERE language = ?",
                           -1, &st, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(st, 1, d.language.data(), static_cast<int>(d.language.size()), SQLITE_STATIC);
      int rc = sqlite3_step(st);
      if (rc == SQLITE_ROW) {
        ResultText(ctx, reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
      } else {
        sqlite3_result_text(ctx, "other", -1, SQLITE_STATIC);
      }
      sqlite3_finalize(st);
      return;
    }
    const auto& regions = DefaultRegions();
    auto it = regions.find(std::string(d.language));
    ResultText(ctx, it == regions.end() ? std::string_view("other") : std::string_view(it->second));
  });
}

void IsIpFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    sqlite3_result_int(ctx, internal::IsIpAddress(ArgText(argv[0])) ? 1 : 0);
  });
}

}  // namespace

void RegisterWikiFunctions(Registrar* r) {
  const int flags = SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  AddFunction(r, {"wiki_project"}, 1, flags, nullptr, ProjectFn);
  AddFunction(r, {"wiki_language"}, 1, flags, nullptr, LanguageFn);
  AddFunction(r, {"wiki_region"}, 1, 0, nullptr, RegionFn);  // reads a table: not deterministic
  AddFunction(r, {"is_ip"}, 1, flags, nullptr, IsIpFn);
}

}  // namespace litehouse::udf

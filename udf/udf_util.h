// Helpers shared by the SQL functions and virtual tables.
//
// No C++ exception may cross into SQLite: every callback runs its body through Guard(), which
// maps std::bad_alloc to SQLITE_NOMEM and anything else to an error message.
#pragma once

#include <new>
#include <string>
#include <string_view>

#include "engine/sqlite_api.h"

namespace litehouse::udf {

template <typename Body>
void Guard(sqlite3_context* ctx, Body&& body) noexcept {
  try {
    body();
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(ctx);
  } catch (const std::exception& e) {
    sqlite3_result_error(ctx, e.what(), -1);
  } catch (...) {
    sqlite3_result_error(ctx, "litehouse: unknown internal error", -1);
  }
}

// For virtual table callbacks: returns an SQLite result code.
template <typename Body>
int GuardRc(sqlite3_vtab* vtab, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (const std::exception& e) {
    if (vtab) {
      sqlite3_free(vtab->zErrMsg);
      vtab->zErrMsg = sqlite3_mprintf("%s", e.what());
    }
    return SQLITE_ERROR;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

// Sets a virtual table's error message (freeing the old one first).
inline void SetVtabError(sqlite3_vtab* vtab, const std::string& message) {
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = sqlite3_mprintf("%s", message.c_str());
}

inline std::string_view ArgText(sqlite3_value* v) {
  const unsigned char* t = sqlite3_value_text(v);
  return t ? std::string_view(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_value_bytes(v)))
           : std::string_view();
}

inline void ResultText(sqlite3_context* ctx, std::string_view s) {
  sqlite3_result_text64(ctx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

inline void ResultError(sqlite3_context* ctx, const std::string& message) {
  sqlite3_result_error(ctx, message.c_str(), static_cast<int>(message.size()));
}

// Each family registers its functions with this; `names` collects what was registered.
struct Registrar {
  sqlite3* db;
  int rc = SQLITE_OK;
  std::string error;
};

// Per-family registration (one file each); called by RegisterSql in udf/register.cc.
void RegisterInfoFunctions(Registrar* r);
void RegisterJsonFunctions(Registrar* r);
void RegisterZstdFunctions(Registrar* r);
void RegisterWikiFunctions(Registrar* r);
void RegisterPipelineFunctions(Registrar* r);
void RegisterReadEvents(Registrar* r);
void RegisterBronzeParsed(Registrar* r);
void RegisterStatsFunctions(Registrar* r);
void RegisterEventIdFunctions(Registrar* r);

// Registers a scalar function and its aliases; records a failure in *r.
void AddFunction(Registrar* r, std::initializer_list<const char*> names, int n_args, int flags, void* user_data,
                 void (*fn)(sqlite3_context*, int, sqlite3_value**), void (*destroy)(void*) = nullptr);

}  // namespace litehouse::udf

// JSON functions over event text and Bronze payloads, with simdjson.
//
//   lh_raw(payload) → TEXT           the original event bytes of a Bronze payload (alias bronze_json)
//   lh_json_extract(x, path) → any   the value at `path` (alias lh_extract); x is JSON text or a
//                                    Bronze payload (BLOB). Paths: '$.meta.domain', '$.length.old',
//                                    '$.log_params[0]', '$["key with.dot"]', or a JSON pointer
//                                    '/meta/domain'. Strings → TEXT, integers → INTEGER, other
//                                    numbers → REAL, true/false → 1/0, null or missing → NULL,
//                                    objects and arrays → their JSON text (minified).
// NULL in, NULL out. Malformed JSON or a malformed path is an error that quotes it.
#include <simdjson.h>

#include <memory>
#include <string>

#include "engine/bronze_codec.h"
#include "engine/event_parser.h"
#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

// Per-connection state: a decompressor with its dictionary cache, and a reusable parser.
struct JsonState {
  internal::BronzeDecompressor decompressor;
  simdjson::dom::parser parser;
  std::string scratch;
};

void DestroyState(void* p) { delete static_cast<JsonState*>(p); }

// Leaves the event text in state->scratch; returns false (with an error set) on failure.
bool PayloadText(sqlite3_context* ctx, JsonState* state, sqlite3_value* v, const char* fn) {
  Status s = state->decompressor.Decompress(sqlite3_context_db_handle(ctx), sqlite3_value_blob(v),
                                            static_cast<size_t>(sqlite3_value_bytes(v)), &state->scratch);
  if (!s.ok()) {
    ResultError(ctx, std::string(fn) + ": not a Bronze payload: " + s.message());
    return false;
  }
  return true;
}

void RawFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    auto* state = static_cast<JsonState*>(sqlite3_user_data(ctx));
    if (!PayloadText(ctx, state, argv[0], "lh_raw")) return;
    ResultText(ctx, state->scratch);
  });
}

void ExtractFn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
      return sqlite3_result_null(ctx);
    }
    auto* state = static_cast<JsonState*>(sqlite3_user_data(ctx));
    std::string pointer;
    std::string_view path = ArgText(argv[1]);
    if (!internal::JsonPathToPointer(path, &pointer)) {
      return ResultError(ctx, "lh_json_extract: bad path '" + std::string(path) + "' (expected e.g. '$.meta.domain')");
    }
    if (sqlite3_value_type(argv[0]) == SQLITE_BLOB) {
      if (!PayloadText(ctx, state, argv[0], "lh_json_extract")) return;
    } else {
      state->scratch.assign(ArgText(argv[0]));
    }
    simdjson::dom::element root;
    auto err = state->parser.parse(state->scratch).get(root);
    if (err) {
      return ResultError(ctx, std::string("lh_json_extract: malformed JSON: ") + simdjson::error_message(err));
    }
    simdjson::dom::element e;
    if (pointer.empty()) {
      e = root;
    } else if (root.at_pointer(pointer).get(e) != simdjson::SUCCESS) {
      return sqlite3_result_null(ctx);
    }
    using T = simdjson::dom::element_type;
    switch (e.type()) {
      case T::STRING: return ResultText(ctx, e.get_string().value_unsafe());
      case T::INT64: return sqlite3_result_int64(ctx, e.get_int64().value_unsafe());
      case T::UINT64: {
        uint64_t u = e.get_uint64().value_unsafe();
        if (u <= uint64_t(INT64_MAX)) return sqlite3_result_int64(ctx, static_cast<int64_t>(u));
        return sqlite3_result_double(ctx, static_cast<double>(u));
      }
      case T::DOUBLE: return sqlite3_result_double(ctx, e.get_double().value_unsafe());
      case T::BOOL: return sqlite3_result_int(ctx, e.get_bool().value_unsafe() ? 1 : 0);
      case T::NULL_VALUE: return sqlite3_result_null(ctx);
      case T::OBJECT:
      case T::ARRAY: return ResultText(ctx, simdjson::minify(e));
    }
  });
}

}  // namespace

void RegisterJsonFunctions(Registrar* r) {
  AddFunction(r, {"lh_raw", "bronze_json"}, 1, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, new JsonState, RawFn,
              DestroyState);
  AddFunction(r, {"lh_json_extract", "lh_extract"}, 2, SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, new JsonState,
              ExtractFn, DestroyState);
}

}  // namespace litehouse::udf

// zstd_compress(data [, level]) → BLOB     one zstd frame (level 1-19, default 3)
// zstd_decompress(blob [, max_bytes]) → BLOB   refuses output over max_bytes (default 64 MiB),
//                                             so a decompression bomb cannot exhaust memory.
// Text arguments are compressed as their UTF-8 bytes; CAST(zstd_decompress(x) AS TEXT) gets text
// back. NULL in, NULL out.
#include <string>

#include "engine/bronze_codec.h"
#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

constexpr int64_t kDefaultMaxBytes = 64 << 20;

std::string_view ArgBytes(sqlite3_value* v) {
  const void* p = sqlite3_value_blob(v);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_value_bytes(v)))
           : std::string_view();
}

void CompressFn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    int level = 3;
    if (argc > 1) {
      level = sqlite3_value_int(argv[1]);
      if (level < 1 || level > 19) {
        return ResultError(ctx, "zstd_compress: level " + std::to_string(level) + " is not between 1 and 19");
      }
    }
    std::string out;
    Status s = internal::ZstdCompress(ArgBytes(argv[0]), level, &out);
    if (!s.ok()) return ResultError(ctx, "zstd_compress: " + s.message());
    sqlite3_result_blob64(ctx, out.data(), out.size(), SQLITE_TRANSIENT);
  });
}

void DecompressFn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  Guard(ctx, [&] {
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
    int64_t max_bytes = argc > 1 ? sqlite3_value_int64(argv[1]) : kDefaultMaxBytes;
    if (max_bytes <= 0) return ResultError(ctx, "zstd_decompress: max_bytes must be positive");
    std::string out;
    Status s = internal::ZstdDecompress(ArgBytes(argv[0]), static_cast<size_t>(max_bytes), &out);
    if (!s.ok()) return ResultError(ctx, "zstd_decompress: " + s.message());
    sqlite3_result_blob64(ctx, out.data(), out.size(), SQLITE_TRANSIENT);
  });
}

}  // namespace

void RegisterZstdFunctions(Registrar* r) {
  const int flags = SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  AddFunction(r, {"zstd_compress"}, 1, flags, nullptr, CompressFn);
  AddFunction(r, {"zstd_compress"}, 2, flags, nullptr, CompressFn);
  AddFunction(r, {"zstd_decompress"}, 1, flags, nullptr, DecompressFn);
  AddFunction(r, {"zstd_decompress"}, 2, flags, nullptr, DecompressFn);
}

}  // namespace litehouse::udf

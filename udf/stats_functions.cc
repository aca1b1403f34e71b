// Aggregates for data-quality profiles.
//
//   lh_approx_distinct(x)   the number of distinct non-NULL values of x, estimated with a
//                           HyperLogLog of 2^14 registers (standard error ~0.8%; exact-ish by
//                           linear counting below ~40,000 values). As Deequ's ApproxCountDistinct:
//                           one hash per row and 16 KiB of state, where count(DISTINCT x) sorts.
//                           Values of different types are different values (1 and '1').
#include <cmath>
#include <cstdint>
#include <cstring>

#include "udf/udf_util.h"

namespace litehouse::udf {
namespace {

constexpr int kPrecision = 14;
constexpr uint32_t kRegisters = 1u << kPrecision;

struct Sketch {
  bool initialized;
  uint8_t registers[kRegisters];
};

// FNV-1a over the bytes, then splitmix64's finalizer: FNV alone leaves the high bits (which
// pick the register) poorly mixed.
uint64_t Hash(const void* data, size_t n, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ seed;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

void Step(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return;
  auto* sketch = static_cast<Sketch*>(sqlite3_aggregate_context(ctx, sizeof(Sketch)));
  if (!sketch) return sqlite3_result_error_nomem(ctx);
  sketch->initialized = true;
  uint64_t h;
  if (type == SQLITE_INTEGER) {
    const int64_t v = sqlite3_value_int64(argv[0]);
    h = Hash(&v, sizeof v, 1);
  } else if (type == SQLITE_FLOAT) {
    const double v = sqlite3_value_double(argv[0]);
    h = Hash(&v, sizeof v, 2);
  } else {
    const void* p = type == SQLITE_BLOB ? sqlite3_value_blob(argv[0]) : sqlite3_value_text(argv[0]);
    h = Hash(p, static_cast<size_t>(sqlite3_value_bytes(argv[0])), type);
  }
  const uint32_t index = static_cast<uint32_t>(h >> (64 - kPrecision));
  const uint64_t rest = h << kPrecision;
  const uint8_t rank = rest == 0 ? 64 - kPrecision + 1 : static_cast<uint8_t>(__builtin_clzll(rest) + 1);
  if (rank > sketch->registers[index]) sketch->registers[index] = rank;
}

void Final(sqlite3_context* ctx) {
  auto* sketch = static_cast<Sketch*>(sqlite3_aggregate_context(ctx, 0));
  if (!sketch || !sketch->initialized) return sqlite3_result_int64(ctx, 0);
  double sum = 0;
  uint32_t zeros = 0;
  for (uint32_t i = 0; i < kRegisters; ++i) {
    sum += std::ldexp(1.0, -sketch->registers[i]);
    zeros += sketch->registers[i] == 0;
  }
  const double m = kRegisters;
  double estimate = 0.7213 / (1 + 1.079 / m) * m * m / sum;
  // Small cardinalities: linear counting is far more accurate while registers are still empty.
  if (zeros > 0) {
    const double linear = m * std::log(m / zeros);
    if (linear <= 2.5 * m || estimate <= 2.5 * m) estimate = linear;
  }
  sqlite3_result_int64(ctx, static_cast<int64_t>(std::llround(estimate)));
}

}  // namespace

void RegisterStatsFunctions(Registrar* r) {
  if (r->rc != SQLITE_OK) return;
  int rc = sqlite3_create_function_v2(r->db, "lh_approx_distinct", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                      nullptr, Step, Final, nullptr);
  if (rc != SQLITE_OK) {
    r->rc = rc;
    r->error = std::string("cannot register lh_approx_distinct: ") + sqlite3_errmsg(r->db);
  }
}

}  // namespace litehouse::udf

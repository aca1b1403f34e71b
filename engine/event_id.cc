#include "engine/event_id.h"

#include <cstdint>

namespace litehouse::internal {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case too: the id is then stored as its text, so it reads back as it came
}

bool IsDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

bool PackUuid(std::string_view id, unsigned char out[kUuidBytes]) {
  if (id.size() != kUuidChars) return false;
  size_t byte = 0;
  for (size_t i = 0; i < kUuidChars; ++i) {
    if (IsDashPosition(i)) {
      if (id[i] != '-') return false;
      continue;
    }
    const int high = HexValue(id[i]);
    const int low = HexValue(id[i + 1]);
    if (high < 0 || low < 0) return false;
    out[byte++] = static_cast<unsigned char>(high << 4 | low);
    ++i;
  }
  return true;
}

void SpellUuid(const unsigned char bytes[kUuidBytes], char out[kUuidChars]) {
  size_t byte = 0;
  for (size_t i = 0; i < kUuidChars; ++i) {
    if (IsDashPosition(i)) {
      out[i] = '-';
      continue;
    }
    out[i] = kHexDigits[bytes[byte] >> 4];
    out[++i] = kHexDigits[bytes[byte++] & 0xf];
  }
}

void EventIdCodeFunction(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const int type = sqlite3_value_type(argv[0]);
  if (type == SQLITE_NULL) return sqlite3_result_null(ctx);
  if (type == SQLITE_BLOB) return sqlite3_result_value(ctx, argv[0]);  // already a coded id
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  if (!text) return sqlite3_result_error_nomem(ctx);
  const std::string_view id(text, static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  unsigned char packed[kUuidBytes];
  if (PackUuid(id, packed)) return sqlite3_result_blob(ctx, packed, kUuidBytes, SQLITE_TRANSIENT);
  sqlite3_result_text(ctx, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
}

std::string ContentEventId(std::string_view text) {
  // Two independent 64-bit FNV-1a lanes (different offset bases) make 128 bits.
  uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
  constexpr uint64_t kPrime = 0x100000001b3ULL;
  bool in_string = false, escape = false;
  for (char c : text) {
    if (!in_string && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) continue;
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    }
    unsigned char u = static_cast<unsigned char>(c);
    a = (a ^ u) * kPrime;
    b = (b ^ (u + 0x9eu)) * kPrime;
  }
  std::string id = "lh1-";
  for (uint64_t lane : {a, b}) {
    for (int shift = 60; shift >= 0; shift -= 4) id += kHexDigits[(lane >> shift) & 0xf];
  }
  return id;
}

}  // namespace litehouse::internal

namespace litehouse::internal {
uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}
}  // namespace litehouse::internal

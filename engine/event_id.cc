#include "engine/event_id.h"

#include <cstdint>

namespace litehouse::internal {

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
  static const char kHex[] = "0123456789abcdef";
  std::string id = "lh1-";
  for (uint64_t lane : {a, b}) {
    for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(lane >> shift) & 0xf];
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

// Event identity for events without a usable meta.id.
#pragma once

#include <string>
#include <cstdint>
#include <string_view>

namespace litehouse::internal {

// A deterministic id from an event's JSON text: "lh1-" and 32 hex digits of a 128-bit FNV-1a hash
// of the text with all white space outside strings removed, so the same event gets the same id
// on every machine and version whether it was recorded compact or pretty-printed.
std::string ContentEventId(std::string_view json_text);

}  // namespace litehouse::internal

namespace litehouse::internal {
// 64-bit FNV-1a of the bytes as they are (file fingerprints).
uint64_t Fnv1a64(std::string_view bytes);
}  // namespace litehouse::internal

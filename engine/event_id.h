// Event identity: a content id for events without a usable meta.id, and the form Bronze stores
// ids in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/sqlite_api.h"

namespace litehouse::internal {

// A deterministic id from an event's JSON text: "lh1-" and 32 hex digits of a 128-bit FNV-1a hash
// of the text with all white space outside strings removed, so the same event gets the same id
// on every machine and version whether it was recorded compact or pretty-printed.
std::string ContentEventId(std::string_view json_text);

// Bronze stores an event_id that is a UUID as Wikimedia writes them (8-4-4-4-12 lowercase hex
// digits, as every meta.id of the stream is) as its 16 bytes, and any other id as its text:
// bronze_events.event_id_coded, which sql/schema_10_bronze.sql spells back as event_id. The 16
// bytes sort as the text does, so the unique index keeps the ids' order.
constexpr size_t kUuidBytes = 16;
constexpr size_t kUuidChars = 36;
// Writes the id's 16 bytes to `out` and returns true when `id` is such a UUID.
bool PackUuid(std::string_view id, unsigned char out[kUuidBytes]);
// The 36 characters of the UUID of those 16 bytes.
void SpellUuid(const unsigned char bytes[kUuidBytes], char out[kUuidChars]);
// event_id_code(id): what bronze_events.event_id_coded holds for the id (a 16-byte blob, or the
// id itself); NULL for NULL. Registered by udf/register.cc for analysts' lookups by id
// (`WHERE event_id_coded = event_id_code('...')` uses the unique index) and used by the move of
// older Bronze layouts (engine/schema.cc).
void EventIdCodeFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv);

}  // namespace litehouse::internal

namespace litehouse::internal {
// 64-bit FNV-1a of the bytes as they are (file fingerprints).
uint64_t Fnv1a64(std::string_view bytes);
}  // namespace litehouse::internal

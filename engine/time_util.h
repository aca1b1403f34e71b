// Times: ISO-8601 parsing and the canonical text form of the data contract.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace litehouse::internal {

// Parses "YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]" (no zone means UTC) into
// milliseconds since the Unix epoch. Returns false if the text is not such a time.
bool ParseIsoTime(std::string_view text, int64_t* epoch_ms);

// The times the text form can spell: years 0000 to 9999 (SQLite's date functions' range).
inline constexpr int64_t kFirstTextTimeMs = -62167219200000;  // 0000-01-01 00:00:00.000
inline constexpr int64_t kLastTextTimeMs = 253402300799999;   // 9999-12-31 23:59:59.999
// A time beyond them becomes the nearer end (such times fail Silver's plausibility rule anyway).
inline int64_t ClampToTextTime(int64_t epoch_ms) {
  return epoch_ms < kFirstTextTimeMs ? kFirstTextTimeMs : epoch_ms > kLastTextTimeMs ? kLastTextTimeMs : epoch_ms;
}

// "YYYY-MM-DD HH:MM:SS.SSS" (UTC): the form every time column holds; SQLite's date functions
// accept it; Bronze's generated columns spell its stored milliseconds the same way. The time is
// clamped first (ClampToTextTime). `out` must have room for 24 bytes; returns the length written
// (23).
size_t FormatTime(int64_t epoch_ms, char* out);
std::string FormatTime(int64_t epoch_ms);

int64_t NowMs();

}  // namespace litehouse::internal

// Times: ISO-8601 parsing and the canonical text form of the data contract.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace litehouse::internal {

// Parses "YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM]" (no zone means UTC) into
// milliseconds since the Unix epoch. Returns false if the text is not such a time.
bool ParseIsoTime(std::string_view text, int64_t* epoch_ms);

// "YYYY-MM-DD HH:MM:SS.SSS" (UTC): the form every time column holds; SQLite's date functions
// accept it. `out` must have room for 24 bytes; returns the length written (23).
size_t FormatTime(int64_t epoch_ms, char* out);
std::string FormatTime(int64_t epoch_ms);

int64_t NowMs();

}  // namespace litehouse::internal

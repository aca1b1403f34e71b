// EventParser: one recentchange event (JSON text) → typed fields, with simdjson.
//
// One parse serves Bronze (identity, time, source fields) and Silver (everything else). Every
// JSON type oddity of the real recordings is handled: numbers that are null (`"id": null`,
// `length.old: null`), missing `length`/`revision`, `log_params` as object or list, old schemas
// without `$schema`/`meta.stream`. string_views point into the parser and stay valid until the
// next Parse. Thread-safety: none; one EventParser per thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace litehouse::internal {

struct ParsedEvent {
  std::string_view meta_id;       // empty when absent
  std::string_view domain;        // meta.domain, else server_name; empty when neither
  std::string_view topic;         // meta.topic
  std::optional<int64_t> partition, kafka_offset;
  int64_t event_time_ms = 0;      // meta.dt, else timestamp; within years 0000-9999 (ClampToTextTime)

  std::string_view type, title, user, wiki, comment, log_type, log_action;
  bool has_type = false, has_title = false, has_user = false, has_wiki = false, has_comment = false;
  bool has_log_type = false, has_log_action = false;
  std::optional<int64_t> namespace_id, rc_id, revision_old, revision_new, length_old, length_new, timestamp;
  std::optional<bool> bot, minor, patrolled;
};

class EventParser {
 public:
  // Parses `size` bytes at `data`; `capacity` bytes are readable there (>= size + 64 padding,
  // or the text is copied). On failure returns false and sets *reason to something a person can
  // act on ("not valid JSON: ...", "no event time: ...").
  bool Parse(const char* data, size_t size, size_t capacity, ParsedEvent* out, std::string* reason);

  // The element at a path such as "$.meta.domain", "$.length.old" or "$.log_params[0]" of the
  // last document parsed; NOT_FOUND style errors become `found = false`.
  simdjson::dom::element root() const { return root_; }

 private:
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
  std::string copy_;
};

// Converts "$.a.b[0]" (or "a.b", or a JSON pointer "/a/b/0") to a JSON pointer.
// Returns false for a malformed path.
bool JsonPathToPointer(std::string_view path, std::string* pointer);

}  // namespace litehouse::internal

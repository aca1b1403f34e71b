#include "engine/event_parser.h"

#include <algorithm>

#include "engine/time_util.h"

namespace litehouse::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// An integer field: int64, uint64 within range, or a double with an integral value. Null or
// absent leave it empty.
std::optional<int64_t> IntField(const object& obj, std::string_view key) {
  element e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  switch (e.type()) {
    case element_type::INT64: return int64_t(e.get_int64().value_unsafe());
    case element_type::UINT64: {
      uint64_t u = e.get_uint64().value_unsafe();
      if (u > uint64_t(INT64_MAX)) return std::nullopt;
      return int64_t(u);
    }
    case element_type::DOUBLE: {
      double d = e.get_double().value_unsafe();
      if (d != d || d > 9.2e18 || d < -9.2e18) return std::nullopt;
      return int64_t(d);
    }
    default: return std::nullopt;
  }
}

std::optional<bool> BoolField(const object& obj, std::string_view key) {
  bool b;
  if (obj.at_key(key).get_bool().get(b) != simdjson::SUCCESS) return std::nullopt;
  return b;
}

bool StringField(const object& obj, std::string_view key, std::string_view* out) {
  return obj.at_key(key).get_string().get(*out) == simdjson::SUCCESS;
}

}  // namespace

bool EventParser::Parse(const char* data, size_t size, size_t capacity, ParsedEvent* out, std::string* reason) {
  *out = ParsedEvent();
  if (capacity < size + simdjson::SIMDJSON_PADDING) {
    copy_.assign(data, size);
    copy_.resize(size + simdjson::SIMDJSON_PADDING, '\0');
    data = copy_.data();
  }
  auto error = parser_.parse(data, size, false).get(root_);
  if (error) {
    *reason = std::string("not valid JSON: ") + simdjson::error_message(error);
    return false;
  }
  object obj;
  if (root_.get_object().get(obj) != simdjson::SUCCESS) {
    *reason = "not a JSON object";
    return false;
  }
  object meta;
  bool has_meta = obj.at_key("meta").get_object().get(meta) == simdjson::SUCCESS;
  if (has_meta) {
    StringField(meta, "id", &out->meta_id);
    StringField(meta, "domain", &out->domain);
    StringField(meta, "topic", &out->topic);
    out->partition = IntField(meta, "partition");
    out->kafka_offset = IntField(meta, "offset");
  }
  if (out->domain.empty()) StringField(obj, "server_name", &out->domain);

  out->timestamp = IntField(obj, "timestamp");
  std::string_view dt;
  bool time_ok = false;
  if (has_meta && StringField(meta, "dt", &dt)) time_ok = ParseIsoTime(dt, &out->event_time_ms);
  if (!time_ok && out->timestamp) {
    // Clamped in seconds first: a timestamp beyond ±9.2e15 would overflow in milliseconds.
    out->event_time_ms =
        std::clamp(*out->timestamp, kFirstTextTimeMs / 1000 - 1, kLastTextTimeMs / 1000 + 1) * 1000;
    time_ok = true;
  }
  if (time_ok) out->event_time_ms = ClampToTextTime(out->event_time_ms);
  if (!time_ok) {
    *reason = dt.empty() ? "no event time: neither meta.dt nor a numeric timestamp"
                         : "no event time: meta.dt '" + std::string(dt.substr(0, 64)) +
                               "' is not an ISO-8601 time and there is no numeric timestamp";
    return false;
  }

  out->has_type = StringField(obj, "type", &out->type);
  out->has_title = StringField(obj, "title", &out->title);
  out->has_user = StringField(obj, "user", &out->user);
  out->has_wiki = StringField(obj, "wiki", &out->wiki);
  out->has_comment = StringField(obj, "comment", &out->comment);
  out->has_log_type = StringField(obj, "log_type", &out->log_type);
  out->has_log_action = StringField(obj, "log_action", &out->log_action);
  out->namespace_id = IntField(obj, "namespace");
  out->rc_id = IntField(obj, "id");
  out->bot = BoolField(obj, "bot");
  out->minor = BoolField(obj, "minor");
  out->patrolled = BoolField(obj, "patrolled");
  object sub;
  if (obj.at_key("length").get_object().get(sub) == simdjson::SUCCESS) {
    out->length_old = IntField(sub, "old");
    out->length_new = IntField(sub, "new");
  }
  if (obj.at_key("revision").get_object().get(sub) == simdjson::SUCCESS) {
    out->revision_old = IntField(sub, "old");
    out->revision_new = IntField(sub, "new");
  }
  if (out->meta_id.empty() && !out->rc_id && !out->has_title && !out->revision_new) {
    *reason = "no identity: no meta.id, and no id, title or revision to derive one from";
    return false;
  }
  return true;
}

bool JsonPathToPointer(std::string_view path, std::string* pointer) {
  pointer->clear();
  if (!path.empty() && path[0] == '/') {
    *pointer = std::string(path);
    return true;
  }
  size_t i = 0;
  if (!path.empty() && path[0] == '$') i = 1;
  bool need_separator = i == 0 && !path.empty();  // "a.b" without "$"
  while (i < path.size()) {
    char c = path[i];
    if (c == '.' || need_separator) {
      if (c == '.') ++i;
      need_separator = false;
      size_t start = i;
      while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
      if (i == start) return false;
      *pointer += '/';
      for (size_t k = start; k < i; ++k) {
        if (path[k] == '~') *pointer += "~0";
        else if (path[k] == '/') *pointer += "~1";
        else *pointer += path[k];
      }
    } else if (c == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos) return false;
      std::string_view inner = path.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && (inner.front() == '"' || inner.front() == '\'') && inner.back() == inner.front()) {
        inner = inner.substr(1, inner.size() - 2);
      } else {
        if (inner.empty()) return false;
        for (char d : inner) {
          if (d < '0' || d > '9') return false;
        }
      }
      *pointer += '/';
      for (char k : inner) {
        if (k == '~') *pointer += "~0";
        else if (k == '/') *pointer += "~1";
        else *pointer += k;
      }
      i = close + 1;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace litehouse::internal

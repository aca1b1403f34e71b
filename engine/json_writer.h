// JsonObjectWriter: a flat JSON object of numbers, booleans and strings (the statistics the
// pipeline functions return, bronze_fields()'s objects).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace litehouse::internal {

// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
inline std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

class JsonObjectWriter {
 public:
  JsonObjectWriter& Add(std::string_view key, uint64_t value) { return Raw(key, std::to_string(value)); }
  JsonObjectWriter& Add(std::string_view key, bool value) { return Raw(key, value ? "true" : "false"); }
  JsonObjectWriter& Add(std::string_view key, double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", value);
    return Raw(key, buf);
  }
  // (Named apart: an int or a literal would otherwise be ambiguous among the overloads above.)
  JsonObjectWriter& AddInteger(std::string_view key, int64_t value) { return Raw(key, std::to_string(value)); }
  JsonObjectWriter& AddString(std::string_view key, std::string_view value) { return Raw(key, JsonString(value)); }
  std::string Finish() const { return text_ + "}"; }

 private:
  // Keys are litehouse's own identifiers: they need no escaping.
  JsonObjectWriter& Raw(std::string_view key, const std::string& value) {
    text_ += text_.size() > 1 ? ",\"" : "\"";
    text_ += key;
    text_ += "\":";
    text_ += value;
    return *this;
  }
  std::string text_ = "{";
};

}  // namespace litehouse::internal

#include "engine/sse_parser.h"

#include <algorithm>

namespace litehouse::internal {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// A line may be a field name, a colon and a space longer than its value.
constexpr size_t kLineSlack = 64;

}  // namespace

void SseParser::Feed(std::string_view chunk, const Handler& on_event) {
  size_t i = 0;
  if (after_cr_ && !chunk.empty()) {
    after_cr_ = false;
    if (chunk[0] == '\n') i = 1;  // the LF of a CRLF split across chunks
  }
  const size_t line_limit = max_event_bytes_ + kLineSlack;
  while (i < chunk.size()) {
    size_t end = chunk.find_first_of("\r\n", i);
    std::string_view piece = chunk.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (!line_overflow_) {
      if (line_.size() + piece.size() > line_limit) {
        line_.append(piece.substr(0, line_limit - line_.size()));
        line_overflow_ = true;
      } else {
        line_.append(piece);
      }
    }
    line_total_ += piece.size();
    if (end == std::string_view::npos) return;  // the line goes on in the next chunk
    if (chunk[end] == '\r') {
      if (end + 1 < chunk.size()) {
        if (chunk[end + 1] == '\n') ++end;
      } else {
        after_cr_ = true;
      }
    }
    ProcessLine(line_, on_event);
    line_.clear();
    line_overflow_ = false;
    line_total_ = 0;
    i = end + 1;
  }
}

void SseParser::Reset() {
  line_.clear();
  line_overflow_ = false;
  line_total_ = 0;
  after_cr_ = false;
  bom_checked_ = false;
  event_ = SseEvent();
  event_has_data_ = false;
  id_buffer_ = last_event_id_;
}

void SseParser::ProcessLine(std::string_view line, const Handler& on_event) {
  if (!bom_checked_) {
    bom_checked_ = true;
    if (line.substr(0, kBom.size()) == kBom) line.remove_prefix(kBom.size());
  }
  if (line.empty()) {
    Dispatch(on_event);
    return;
  }
  if (line[0] == ':') return;  // a comment, such as EventStreams' opening ":ok"
  size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    // A truncated line's value is only its beginning: count what was cut too.
    AppendData(value, line_total_ - line.size());
  } else if (field == "event") {
    event_.type.assign(value.substr(0, kKeptBytes));
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos && !line_overflow_) id_buffer_.assign(value);
  } else if (field == "retry") {
    if (!value.empty() && value.size() < 18 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      retry_ms_ = std::stoll(std::string(value));
    }
  }
  // Any other field is ignored, as the spec says.
}

void SseParser::AppendData(std::string_view value, size_t cut_bytes) {
  event_has_data_ = true;
  event_.data_bytes += value.size() + cut_bytes + 1;
  if (line_overflow_ || event_.data_bytes > max_event_bytes_ + 1) event_.oversized = true;
  if (event_.oversized) {
    // Keep only the beginning, enough for a person to see what it was.
    if (event_.data.size() > kKeptBytes) event_.data.resize(kKeptBytes);
    size_t room = event_.data.size() < kKeptBytes ? kKeptBytes - event_.data.size() : 0;
    event_.data.append(value.substr(0, room));
    if (event_.data.size() < kKeptBytes) event_.data.push_back('\n');
    return;
  }
  event_.data.append(value);
  event_.data.push_back('\n');
}

void SseParser::Dispatch(const Handler& on_event) {
  last_event_id_ = id_buffer_;
  if (!event_has_data_) {
    event_ = SseEvent();
    return;
  }
  SseEvent out = std::move(event_);
  event_ = SseEvent();
  event_has_data_ = false;
  if (!out.data.empty() && out.data.back() == '\n') out.data.pop_back();
  if (out.data_bytes > 0) --out.data_bytes;  // the last LF is not data
  if (out.type.empty()) out.type = "message";
  out.id = last_event_id_;
  on_event(std::move(out));
}

}  // namespace litehouse::internal

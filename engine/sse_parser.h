// SseParser: a Server-Sent Events byte stream → events, as the WHATWG HTML spec's "event stream
// interpretation" says (https://html.spec.whatwg.org/multipage/server-sent-events.html).
//
// Bytes arrive in network chunks of any size: a line, a field, even a CR LF pair may be split
// across chunks. Lines end in CR, LF or CRLF; `data:` lines join with LF; `:comment` lines are
// ignored; `id:` sets the last event id (ignored if it holds NUL); `retry:` takes only digits;
// a field without a colon is a name with an empty value; one space after the colon is dropped;
// a leading UTF-8 BOM is dropped. A blank line dispatches the event — unless its data is empty.
// An event cut off by a disconnect is never dispatched: Reset() drops it.
//
// Memory is bounded: an event whose data outgrows max_event_bytes is still delimited and
// dispatched (so it can be rejected with its position), but with `oversized` set and only its
// first kKeptBytes of data kept.
// Thread-safety: none; one parser per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace litehouse::internal {

struct SseEvent {
  std::string type;          // the `event:` field; "message" when absent
  std::string data;          // the `data:` lines joined with LF (no trailing LF)
  std::string id;            // the last event id when the event was dispatched
  bool oversized = false;    // data exceeded max_event_bytes; `data` holds only its beginning
  uint64_t data_bytes = 0;   // the data's full size, even when oversized
};

class SseParser {
 public:
  static constexpr size_t kKeptBytes = 4096;  // of an oversized event's data
  using Handler = std::function<void(SseEvent&&)>;

  explicit SseParser(size_t max_event_bytes = 4u << 20) : max_event_bytes_(max_event_bytes) {}

  // Parses a chunk; calls `on_event` for every event it completes.
  void Feed(std::string_view chunk, const Handler& on_event);
  // A new connection: drops a partial line and an undispatched event. The last event id and
  // the reconnection time survive, as the spec says.
  void Reset();

  const std::string& last_event_id() const { return last_event_id_; }
  // Resuming from a stored id: the next connection sends it as Last-Event-ID.
  void set_last_event_id(const std::string& id) { last_event_id_ = id_buffer_ = id; }
  // The server's `retry:` value in milliseconds; -1 until it sends one.
  int64_t retry_ms() const { return retry_ms_; }
  // Bytes of the current partial line and event (for tests of boundedness).
  size_t buffered_bytes() const { return line_.size() + event_.data.size() + event_.type.size(); }

 private:
  void ProcessLine(std::string_view line, const Handler& on_event);
  void Dispatch(const Handler& on_event);
  void AppendData(std::string_view value, size_t cut_bytes);

  const size_t max_event_bytes_;
  std::string line_;            // the current line so far (bounded: see Feed)
  bool line_overflow_ = false;  // the current line outgrew the limit; its rest is skipped
  size_t line_total_ = 0;       // the current line's full length, kept or not
  bool after_cr_ = false;       // the previous chunk ended in CR: a leading LF belongs to it
  bool bom_checked_ = false;
  bool event_has_data_ = false;
  SseEvent event_;
  std::string id_buffer_;       // the spec's "last event ID buffer": set by id:, kept by events
  std::string last_event_id_;   // the spec's "last event ID string": set when an event completes
  int64_t retry_ms_ = -1;
};

}  // namespace litehouse::internal

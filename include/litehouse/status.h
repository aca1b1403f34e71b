// Status: the result of a fallible litehouse call, leveldb style.
//
//   litehouse::Status s = db->IngestFile(path, options, &stats);
//   if (!s.ok()) return s;
//
// Thread-safety: a Status is a plain value; copies are independent.
#pragma once

#include <string>
#include <utility>

namespace litehouse {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk = 0, kInvalidArgument, kNotFound, kIoError, kCorruption, kSqlError, kNoMemory };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status SqlError(std::string msg) { return Status(Code::kSqlError, std::move(msg)); }
  static Status NoMemory(std::string msg) { return Status(Code::kNoMemory, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ok", or the message prefixed with the kind of error.
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace litehouse

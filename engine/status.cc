#include "litehouse/status.h"

namespace litehouse {

std::string Status::ToString() const {
  const char* kind = "";
  switch (code_) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: kind = "invalid argument: "; break;
    case Code::kNotFound: kind = "not found: "; break;
    case Code::kIoError: kind = "io error: "; break;
    case Code::kCorruption: kind = "corruption: "; break;
    case Code::kSqlError: kind = "sql error: "; break;
    case Code::kNoMemory: kind = "out of memory: "; break;
  }
  return kind + message_;
}

}  // namespace litehouse

#include "shell/live_session.h"

#include "litehouse/database.h"

namespace litehouse::shell {
namespace {
constexpr size_t kLogLines = 8;
}  // namespace

bool LiveSession::Start(const std::string& path, LiveOptions options, std::string* error) {
  if (running()) {
    *error = "a live session is already running (.ingest stop first)";
    return false;
  }
  if (thread_.joinable()) thread_.join();
  stop_ = false;
  finished_ = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = LiveStatus();
    log_.clear();
    failure_.clear();
    url_ = options.url;
  }
  options.on_status = [this](const LiveStatus& s) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = s;
  };
  options.on_log = [this](const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    log_.push_back(line);
    if (log_.size() > kLogLines) log_.pop_front();
  };
  thread_ = std::thread([this, path, options = std::move(options)] {
    std::unique_ptr<Database> db;
    Status s = Database::Open(path, &db);
    LiveStatus final_status;
    if (s.ok()) s = RunLive(db->handle(), options, stop_, &final_status);
    std::lock_guard<std::mutex> lock(mu_);
    if (s.ok()) status_ = final_status;
    if (!s.ok()) failure_ = s.message();
    finished_ = true;
  });
  return true;
}

std::string LiveSession::Stop() {
  if (!thread_.joinable()) return "";
  stop_ = true;
  thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return status_.ToLine();
}

std::string LiveSession::Describe() {
  if (!thread_.joinable()) return "";
  std::lock_guard<std::mutex> lock(mu_);
  std::string out = "live: " + url_ + (finished_ ? " (stopped)" : "") + "\n  " + status_.ToLine() + "\n";
  for (const std::string& line : log_) out += "  " + line + "\n";
  if (!failure_.empty()) out += "  failed: " + failure_ + "\n";
  return out;
}

std::string LiveSession::TakeFailure() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string f;
  f.swap(failure_);
  return f;
}

}  // namespace litehouse::shell

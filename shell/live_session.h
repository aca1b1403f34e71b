// LiveSession: the shell's `.ingest live`: the same loop as `litehouse run`, on a thread of its
// own with its own connection to the database file, while the person keeps querying (WAL lets
// the shell read while the loop writes; readers see whole commits only).
// Thread-safety: Start/Stop/Describe from the shell's thread; the loop reports through a mutex.
#pragma once

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "litehouse/live.h"

namespace litehouse::shell {

class LiveSession {
 public:
  ~LiveSession() { Stop(); }
  bool running() const { return thread_.joinable() && !finished_; }
  // Starts following options.url into the database file at `path`. False with *error if a
  // session is already running.
  bool Start(const std::string& path, LiveOptions options, std::string* error);
  // Finishes the batch, commits, refreshes and joins; returns the final status line.
  std::string Stop();
  // The status line and the latest log lines; empty if no session ever ran.
  std::string Describe();
  // A fatal error the loop ended with, reported once.
  std::string TakeFailure();

 private:
  std::thread thread_;
  std::atomic<bool> stop_{false}, finished_{false};
  std::mutex mu_;
  LiveStatus status_;
  std::deque<std::string> log_;  // the last kLogLines lines
  std::string failure_;
  std::string url_;
};

}  // namespace litehouse::shell

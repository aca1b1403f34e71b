#include "shell/progress.h"

#include <algorithm>

namespace litehouse::shell {

std::string HumanBytes(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

void ProgressReporter::Update(const IngestProgress& p) {
  double rate = p.seconds > 0 ? p.events / p.seconds : 0;
  // Compressed files: the share of the file on disk consumed; plain files: bytes read.
  double done = p.compressed_read > 0 ? static_cast<double>(p.compressed_read) : static_cast<double>(p.bytes_read);
  double fraction = p.bytes_total > 0 ? std::min(1.0, done / static_cast<double>(p.bytes_total)) : 0;
  if (terminal_) {
    const int width = 28;
    int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(width, '.');
    double eta = fraction > 0 ? p.seconds * (1 - fraction) / fraction : 0;
    std::fprintf(out_, "\r%s [%s] %3.0f%% %s  %.0f events/s  ETA %d:%02d ", label_.c_str(), bar.c_str(),
                 fraction * 100, HumanBytes(static_cast<double>(p.bytes_read)).c_str(), rate,
                 static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    drew_ = true;
  } else if (p.seconds - last_log_ >= 5 || last_log_ < 0) {
    std::fprintf(out_, "%s: %.0f%% %s read, %llu events, %.0f events/s\n", label_.c_str(), fraction * 100,
                 HumanBytes(static_cast<double>(p.bytes_read)).c_str(), static_cast<unsigned long long>(p.events), rate);
    last_log_ = p.seconds;
  }
  std::fflush(out_);
}

void ProgressReporter::Finish() {
  if (terminal_ && drew_) std::fputs("\r\033[K", out_);
  std::fflush(out_);
}

}  // namespace litehouse::shell

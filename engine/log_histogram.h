// LogHistogram: counts of non-negative values in buckets 1% wide, for percentiles over a whole
// run in fixed memory (about 2,000 buckets up to 10^9). Thread-safety: none.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace litehouse::internal {

class LogHistogram {
 public:
  void Add(double v) {
    size_t b = Bucket(v < 0 ? 0 : v);
    if (b >= counts_.size()) counts_.resize(b + 1, 0);
    ++counts_[b];
    ++total_;
  }
  uint64_t count() const { return total_; }
  // The value at quantile q (0..1): the upper bound of its bucket, within 1%. -1 when empty.
  double Quantile(double q) const {
    if (total_ == 0) return -1;
    uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t b = 0; b < counts_.size(); ++b) {
      seen += counts_[b];
      if (seen >= rank) return Upper(b);
    }
    return Upper(counts_.size() - 1);
  }

 private:
  static constexpr double kGrowth = 1.01;
  static size_t Bucket(double v) { return static_cast<size_t>(std::log1p(v) / std::log(kGrowth)); }
  static double Upper(size_t b) { return std::expm1(static_cast<double>(b + 1) * std::log(kGrowth)); }
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0;
};

}  // namespace litehouse::internal

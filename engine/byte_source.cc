#include "engine/byte_source.h"

#include <zstd.h>

#include <boost/iostreams/device/file.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <vector>

namespace litehouse::internal {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

class PlainSource : public ByteSource {
 public:
  explicit PlainSource(FilePtr f) : file_(std::move(f)) {}
  Status Read(char* buffer, size_t capacity, size_t* got) override {
    *got = std::fread(buffer, 1, capacity, file_.get());
    if (*got == 0 && std::ferror(file_.get())) return Status::IoError(std::strerror(errno));
    position_ += *got;
    return Status::Ok();
  }
  uint64_t file_position() const override { return position_; }

 private:
  FilePtr file_;
  uint64_t position_ = 0;
};

struct DctxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(FilePtr f) : file_(std::move(f)), dctx_(ZSTD_createDCtx()), in_(ZSTD_DStreamInSize()) {}
  Status Read(char* buffer, size_t capacity, size_t* got) override {
    ZSTD_outBuffer out{buffer, capacity, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_len_) {
        if (eof_) break;
        in_len_ = std::fread(in_.data(), 1, in_.size(), file_.get());
        in_pos_ = 0;
        position_ += in_len_;
        if (in_len_ == 0) {
          if (std::ferror(file_.get())) return Status::IoError(std::strerror(errno));
          eof_ = true;
          if (!frame_done_) return Status::Corruption("zstd: truncated file (end of input inside a frame)");
          break;
        }
      }
      ZSTD_inBuffer in{in_.data(), in_len_, in_pos_};
      size_t r = ZSTD_decompressStream(dctx_.get(), &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(r)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(r));
      frame_done_ = (r == 0);
    }
    *got = out.pos;
    return Status::Ok();
  }
  uint64_t file_position() const override { return position_; }

 private:
  FilePtr file_;
  std::unique_ptr<ZSTD_DCtx, DctxFree> dctx_;
  std::vector<char> in_;
  size_t in_len_ = 0, in_pos_ = 0;
  uint64_t position_ = 0;
  bool eof_ = false, frame_done_ = true;
};

// gzip through Boost.Iostreams (zlib underneath); its errors arrive as exceptions, which stop here.
class GzipSource : public ByteSource {
 public:
  explicit GzipSource(const std::string& path) : raw_(path, std::ios::binary) {
    stream_.push(boost::iostreams::gzip_decompressor());
    stream_.push(raw_);
  }
  Status Read(char* buffer, size_t capacity, size_t* got) override {
    try {
      stream_.read(buffer, static_cast<std::streamsize>(capacity));
      *got = static_cast<size_t>(stream_.gcount());
    } catch (const std::exception& e) {
      return Status::Corruption(std::string("gzip: ") + e.what());
    }
    return Status::Ok();
  }
  uint64_t file_position() const override {
    // The file device does not report its offset cheaply; progress for .gz counts output bytes.
    return 0;
  }

 private:
  boost::iostreams::file_source raw_;
  boost::iostreams::filtering_istream stream_;
};

}  // namespace

Status MemoryByteSource::Read(char* buffer, size_t capacity, size_t* got) {
  *got = std::min({capacity, max_read_, bytes_.size() - position_});
  std::memcpy(buffer, bytes_.data() + position_, *got);
  position_ += *got;
  return Status::Ok();
}

Status ByteSource::Skip(uint64_t n) {
  std::vector<char> scratch(1 << 16);
  while (n > 0) {
    size_t got = 0;
    Status s = Read(scratch.data(), static_cast<size_t>(std::min<uint64_t>(n, scratch.size())), &got);
    if (!s.ok()) return s;
    if (got == 0) return Status::Corruption("file is shorter than the position recorded for it");
    n -= got;
  }
  return Status::Ok();
}

Status OpenByteSource(const std::string& path, std::unique_ptr<ByteSource>* out, SourceInfo* info) {
  FilePtr f(std::fopen(path.c_str(), "rb"));
  if (!f) return Status::IoError("cannot open '" + path + "': " + std::strerror(errno));
  unsigned char magic[4] = {0, 0, 0, 0};
  size_t n = std::fread(magic, 1, 4, f.get());
  std::fseek(f.get(), 0, SEEK_END);
  long size = std::ftell(f.get());
  if (size < 0) return Status::IoError("'" + path + "' is not a regular file");
  info->file_size = static_cast<uint64_t>(size);
  std::rewind(f.get());
  if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
    info->format = "zstd";
    *out = std::make_unique<ZstdSource>(std::move(f));
  } else if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    info->format = "gzip";
    f.reset();
    *out = std::make_unique<GzipSource>(path);
  } else {
    info->format = "plain";
    *out = std::make_unique<PlainSource>(std::move(f));
  }
  return Status::Ok();
}

}  // namespace litehouse::internal

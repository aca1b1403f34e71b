#include "engine/byte_source.h"

#include <zstd.h>

#include <sys/stat.h>
#include <zlib.h>
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
  // As GzipSource: what decompressed before an error first, then the error.
  Status Read(char* buffer, size_t capacity, size_t* got) override {
    *got = 0;
    if (!pending_.ok()) return pending_;
    ZSTD_outBuffer out{buffer, capacity, 0};
    while (out.pos == 0 && pending_.ok()) {
      if (in_pos_ == in_len_) {
        if (eof_) break;
        in_len_ = std::fread(in_.data(), 1, in_.size(), file_.get());
        in_pos_ = 0;
        position_ += in_len_;
        if (in_len_ == 0) {
          if (std::ferror(file_.get())) return Status::IoError(std::strerror(errno));
          eof_ = true;
          if (!frame_done_) pending_ = Status::Corruption("zstd: truncated file (end of input inside a frame)");
          break;
        }
      }
      ZSTD_inBuffer in{in_.data(), in_len_, in_pos_};
      size_t r = ZSTD_decompressStream(dctx_.get(), &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(r)) {
        pending_ = Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(r) + " at byte " +
                                      std::to_string(position_ - (in_len_ - in_pos_)) + " of the file");
      } else {
        frame_done_ = (r == 0);
      }
    }
    *got = out.pos;
    return *got > 0 ? Status::Ok() : pending_;
  }
  uint64_t file_position() const override { return position_; }

 private:
  FilePtr file_;
  std::unique_ptr<ZSTD_DCtx, DctxFree> dctx_;
  std::vector<char> in_;
  size_t in_len_ = 0, in_pos_ = 0;
  uint64_t position_ = 0;
  bool eof_ = false, frame_done_ = true;
  Status pending_;
};

// gzip through zlib: members one after another (as `cat a.gz b.gz` makes) are one stream. A file
// that is cut short or damaged gives every byte that decompressed before the damage, and then the
// error: the ingester keeps the events before it and reports it, instead of losing the last
// buffer or, worse, taking the damage for the end of the file. Zeros after the last member are
// padding and end the file.
class GzipSource : public ByteSource {
 public:
  explicit GzipSource(FilePtr f) : file_(std::move(f)), in_(1 << 16) {
    // 15: zlib's largest window, which gzip uses; + 16: a gzip header and trailer, not zlib's.
    started_ = inflateInit2(&z_, 15 + 16) == Z_OK;
  }
  ~GzipSource() override {
    if (started_) inflateEnd(&z_);
  }
  Status Read(char* buffer, size_t capacity, size_t* got) override {
    *got = 0;
    if (!started_) return Status::Corruption("gzip: zlib could not start (out of memory)");
    if (!pending_.ok()) return pending_;
    z_.next_out = reinterpret_cast<Bytef*>(buffer);
    z_.avail_out = static_cast<uInt>(std::min<size_t>(capacity, 1u << 30));
    const uInt asked = z_.avail_out;
    while (z_.avail_out > 0 && pending_.ok()) {
      if (z_.avail_in == 0) {
        const size_t n = std::fread(in_.data(), 1, in_.size(), file_.get());
        if (n == 0) {
          if (std::ferror(file_.get())) {
            pending_ = Status::IoError(std::strerror(errno));
          } else if (in_member_) {
            pending_ = Status::Corruption("gzip: truncated file (it ends inside a gzip member, after " +
                                          std::to_string(member_out_) + " bytes of the member's data)");
          }
          break;  // (outside a member: the end of the file)
        }
        read_ += n;
        z_.next_in = in_.data();
        z_.avail_in = static_cast<uInt>(n);
      }
      if (!in_member_ && members_ > 0 && (padding_ || *z_.next_in == 0)) {
        // Zeros after the last member are padding (tar and tape tools write it; gzip(1) ignores
        // it): they end the file. Anything after them is an error.
        padding_ = true;
        while (z_.avail_in > 0 && *z_.next_in == 0) ++z_.next_in, --z_.avail_in;
        if (z_.avail_in > 0) {
          pending_ = Status::Corruption("gzip: bytes after the zero padding that follows the last member, at byte " +
                                        std::to_string(file_position()) + " of the file");
        }
        continue;
      }
      if (!in_member_) {  // more bytes after a member: the next member begins
        if (members_ > 0) inflateReset(&z_);
        in_member_ = true;
        member_out_ = 0;
        ++members_;
      }
      const uInt before = z_.avail_out;
      const int r = inflate(&z_, Z_NO_FLUSH);
      member_out_ += before - z_.avail_out;
      if (r == Z_STREAM_END) {
        in_member_ = false;
      } else if (r != Z_OK && !(r == Z_BUF_ERROR && z_.avail_in == 0)) {  // (that one: more input, read above)
        pending_ = Status::Corruption(std::string("gzip: ") + (z_.msg ? z_.msg : "damaged data") + " at byte " +
                                      std::to_string(file_position()) + " of the file" +
                                      (members_ > 1 ? " (gzip member " + std::to_string(members_) + ")" : ""));
      }
    }
    *got = asked - z_.avail_out;
    // What decompressed before an error is delivered first; the error comes with the next read.
    return *got > 0 ? Status::Ok() : pending_;
  }
  uint64_t file_position() const override { return read_ - z_.avail_in; }

 private:
  FilePtr file_;
  std::vector<Bytef> in_;
  z_stream z_{};
  bool started_ = false;
  bool in_member_ = false;
  bool padding_ = false;     // reading the zeros after the last member
  uint64_t members_ = 0;     // gzip members begun
  uint64_t member_out_ = 0;  // bytes the current member has decompressed to
  uint64_t read_ = 0;        // bytes of the file read
  Status pending_;           // an error met after bytes that are still to be delivered
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
  struct stat st;
  if (fstat(fileno(f.get()), &st) == 0 && S_ISDIR(st.st_mode)) {
    return Status::IoError("cannot read '" + path + "': it is a directory");  // (fopen opens one; fread fails)
  }
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
    *out = std::make_unique<GzipSource>(std::move(f));
  } else {
    info->format = "plain";
    *out = std::make_unique<PlainSource>(std::move(f));
  }
  return Status::Ok();
}

}  // namespace litehouse::internal

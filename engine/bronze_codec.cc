#include "engine/bronze_codec.h"

#include "engine/sqlite_api.h"
#include <zdict.h>

#include "engine/sqlite_util.h"
#include "engine/time_util.h"

namespace litehouse::internal {

thread_local bool BronzeInsertScope::active_ = false;

BronzeCompressor::BronzeCompressor() : cctx_(ZSTD_createCCtx()) {
  ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_compressionLevel, kLevel);
  ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_checksumFlag, 0);
}

Status BronzeCompressor::Load(sqlite3* db) {
  Stmt s;
  Status st = s.Prepare(db, "SELECT dict, samples FROM lh_dictionaries ORDER BY trained_at DESC, samples DESC LIMIT 1");
  if (!st.ok()) return st;
  if (s.Step() == SQLITE_ROW) {
    const void* p = sqlite3_column_blob(s.get(), 0);
    int n = sqlite3_column_bytes(s.get(), 0);
    cdict_.reset(ZSTD_createCDict(p, static_cast<size_t>(n), kLevel));
    if (!cdict_) return Status::Corruption("stored zstd dictionary cannot be loaded");
    samples_ = static_cast<size_t>(sqlite3_column_int64(s.get(), 1));
  }
  return Status::Ok();
}

std::string BronzeCompressor::TrainDictionary(const std::vector<std::string_view>& samples) {
  if (samples.size() < kMinTrainingSamples) return "";
  std::string joined;
  std::vector<size_t> sizes;
  sizes.reserve(samples.size());
  for (std::string_view s : samples) {
    joined += s;
    sizes.push_back(s.size());
  }
  std::string dict(kDictionaryBytes, '\0');
  size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), joined.data(), sizes.data(),
                                   static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) return "";  // not enough variety: compress without a dictionary
  dict.resize(n);
  return dict;
}

bool BronzeCompressor::Use(const std::string& dictionary, size_t samples) {
  if (dictionary.empty()) return false;
  std::unique_ptr<ZSTD_CDict, ZstdDeleter> cdict(ZSTD_createCDict(dictionary.data(), dictionary.size(), kLevel));
  if (!cdict) return false;
  cdict_ = std::move(cdict);
  samples_ = samples;
  return true;
}

void BronzeCompressor::Train(const std::vector<std::string_view>& samples, std::string* dictionary) {
  *dictionary = TrainDictionary(samples);
  if (!Use(*dictionary, samples.size())) dictionary->clear();
}

Status BronzeCompressor::Store(sqlite3* db, const std::string& dictionary, size_t samples) {
  Stmt ins;
  Status st = ins.Prepare(db, "INSERT OR REPLACE INTO lh_dictionaries (dict_id, trained_at, samples, dict) VALUES (?, ?, ?, ?)");
  if (!st.ok()) return st;
  ins.BindInt(1, ZDICT_getDictID(dictionary.data(), dictionary.size()));
  ins.BindText(2, FormatTime(NowMs()));
  ins.BindInt(3, static_cast<int64_t>(samples));
  ins.BindBlobStatic(4, dictionary.data(), dictionary.size());
  if (ins.Step() != SQLITE_DONE) return Status::SqlError(sqlite3_errmsg(db));
  return Status::Ok();
}

Status BronzeCompressor::Compress(std::string_view data, ByteArena* arena, ArenaSpan* frame) {
  const size_t bound = ZSTD_compressBound(data.size());
  char* out = arena->Reserve(bound);
  size_t n = cdict_ ? ZSTD_compress_usingCDict(cctx_.get(), out, bound, data.data(), data.size(), cdict_.get())
                    : ZSTD_compressCCtx(cctx_.get(), out, bound, data.data(), data.size(), kLevel);
  if (ZSTD_isError(n)) {
    arena->Commit(0);
    return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
  }
  *frame = arena->Commit(n);
  return Status::Ok();
}

BronzeDecompressor::BronzeDecompressor() : dctx_(ZSTD_createDCtx()) {}

Status BronzeDecompressor::Decompress(sqlite3* db, const void* data, size_t size, std::string* out) {
  unsigned long long content = ZSTD_getFrameContentSize(data, size);
  if (content == ZSTD_CONTENTSIZE_ERROR) return Status::Corruption("not a zstd frame");
  if (content == ZSTD_CONTENTSIZE_UNKNOWN || content > (64u << 20)) {
    return Status::Corruption("zstd frame without a plausible content size");
  }
  unsigned dict_id = ZSTD_getDictID_fromFrame(data, size);
  const ZSTD_DDict* ddict = nullptr;
  if (dict_id != 0) {
    auto it = ddicts_.find(dict_id);
    if (it == ddicts_.end()) {
      Stmt s;
      Status st = s.Prepare(db, "SELECT dict FROM lh_dictionaries WHERE dict_id = ?");
      if (!st.ok()) return st;
      s.BindInt(1, dict_id);
      if (s.Step() != SQLITE_ROW) {
        return Status::NotFound("zstd dictionary " + std::to_string(dict_id) + " is not in lh_dictionaries");
      }
      std::unique_ptr<ZSTD_DDict, ZstdDeleter> dd(
          ZSTD_createDDict(sqlite3_column_blob(s.get(), 0), static_cast<size_t>(sqlite3_column_bytes(s.get(), 0))));
      if (!dd) return Status::Corruption("stored zstd dictionary cannot be loaded");
      it = ddicts_.emplace(dict_id, std::move(dd)).first;
    }
    ddict = it->second.get();
  }
  out->resize(content);
  size_t n = ddict ? ZSTD_decompress_usingDDict(dctx_.get(), out->data(), out->size(), data, size, ddict)
                   : ZSTD_decompressDCtx(dctx_.get(), out->data(), out->size(), data, size);
  if (ZSTD_isError(n)) return Status::Corruption(std::string("zstd: ") + ZSTD_getErrorName(n));
  out->resize(n);
  return Status::Ok();
}

Status ZstdCompress(std::string_view data, int level, std::string* out) {
  out->resize(ZSTD_compressBound(data.size()));
  size_t n = ZSTD_compress(out->data(), out->size(), data.data(), data.size(), level);
  if (ZSTD_isError(n)) return Status::InvalidArgument(ZSTD_getErrorName(n));
  out->resize(n);
  return Status::Ok();
}

Status ZstdDecompress(std::string_view data, size_t max_size, std::string* out) {
  out->clear();
  std::unique_ptr<ZSTD_DCtx, ZstdDeleter> dctx(ZSTD_createDCtx());
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  size_t last = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(dctx.get(), &o, &in);
    if (ZSTD_isError(last)) return Status::InvalidArgument(ZSTD_getErrorName(last));
    if (out->size() + o.pos > max_size) {
      return Status::InvalidArgument("decompressed size exceeds the limit of " + std::to_string(max_size) + " bytes");
    }
    out->append(chunk.data(), o.pos);
    if (o.pos == 0 && last != 0 && in.pos == in.size) break;
  }
  // Flush what the decoder still holds.
  for (;;) {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    ZSTD_inBuffer none{nullptr, 0, 0};
    if (last == 0) break;
    last = ZSTD_decompressStream(dctx.get(), &o, &none);
    if (ZSTD_isError(last)) return Status::InvalidArgument(ZSTD_getErrorName(last));
    if (out->size() + o.pos > max_size) {
      return Status::InvalidArgument("decompressed size exceeds the limit of " + std::to_string(max_size) + " bytes");
    }
    out->append(chunk.data(), o.pos);
    if (o.pos == 0) break;
  }
  if (last != 0) return Status::InvalidArgument("truncated input");
  return Status::Ok();
}

}  // namespace litehouse::internal

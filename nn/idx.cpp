#include <dagrad/nn/idx.hpp>

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <dagrad/core/error.hpp>

namespace dagrad::nn {

namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;
constexpr int kMaxDims = 4;
// Data is read in chunks of this size, so memory follows what the file really holds.
constexpr std::size_t kChunk = std::size_t{1} << 20;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw IoError("read_idx: " + path + ": " + what);
}

// Reads up to n bytes; returns how many arrived (fewer only at the end of the data). A
// corrupted gzip stream is an error rather than a short read.
std::size_t read_some(gzFile f, const std::string& path, std::uint8_t* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const auto want = static_cast<unsigned>(std::min(n - done, kChunk));
    const int got = gzread(f, out + done, want);
    if (got < 0) {
      int code = 0;
      const char* msg = gzerror(f, &code);
      fail(path, std::string("gzip data corrupted (") + msg + ")");
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  // zlib reports a gzip stream cut short as Z_BUF_ERROR after returning what it had.
  int code = Z_OK;
  const char* msg = gzerror(f, &code);
  if (code == Z_BUF_ERROR) fail(path, std::string("truncated gzip stream (") + msg + ")");
  if (code != Z_OK && code != Z_STREAM_END)
    fail(path, std::string("gzip data corrupted (") + msg + ")");
  return done;
}

}  // namespace

IdxArray read_idx(const std::string& path) {
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) fail(path, std::string("cannot open (") + std::strerror(errno) + ")");
  gzbuffer(f.get(), 1 << 17);

  std::uint8_t magic[4];
  if (read_some(f.get(), path, magic, 4) != 4) fail(path, "truncated: no complete IDX header");
  if (magic[0] != 0 || magic[1] != 0)
    fail(path, "not an IDX file (bad magic: the first two bytes must be zero)");
  if (magic[2] != kUnsignedByte) {
    char type[8];
    std::snprintf(type, sizeof type, "0x%02x", magic[2]);
    fail(path, std::string("unsupported IDX element type ") + type +
                   " (only unsigned bytes, 0x08, are read)");
  }
  if (magic[3] == 0 || magic[3] > kMaxDims)
    fail(path, "bad IDX header: " + std::to_string(magic[3]) + " dimensions (expected 1 to " +
                   std::to_string(kMaxDims) + ")");

  IdxArray out;
  for (int d = 0; d < magic[3]; ++d) {
    std::uint8_t b[4];
    if (read_some(f.get(), path, b, 4) != 4)
      fail(path, "truncated: header ends inside the extent of dimension " + std::to_string(d));
    const std::uint32_t extent = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                                 (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
    out.dims.push_back(extent);
  }
  // A zero extent makes an empty array whatever the others are; otherwise the product is bounded
  // before each multiplication, so it cannot wrap past 2^64 (four extents below 2^32 could).
  constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 40;
  const bool empty = std::find(out.dims.begin(), out.dims.end(), 0) != out.dims.end();
  std::uint64_t total = empty ? 0 : 1;
  for (std::size_t d = 0; d < out.dims.size() && !empty; ++d) {
    const auto extent = static_cast<std::uint64_t>(out.dims[d]);
    if (total > kMaxBytes / extent)
      fail(path, "bad IDX header: extents too large (more than 2^40 bytes of data)");
    total *= extent;
  }

  std::size_t have = 0;
  while (have < total) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(total - have, kChunk));
    out.data.resize(have + n);
    const std::size_t got = read_some(f.get(), path, out.data.data() + have, n);
    have += got;
    if (got < n)
      fail(path, "truncated: the header promises " + std::to_string(total) +
                     " bytes of data, the file holds " + std::to_string(have));
  }
  std::uint8_t extra;
  if (read_some(f.get(), path, &extra, 1) != 0)
    fail(path, "wrong size: more data than the header's extents (" + std::to_string(total) +
                   " bytes) describe");
  return out;
}

void write_idx(const std::string& path, const IdxArray& array, bool gzip) {
  std::uint64_t total = 1;
  for (std::int64_t d : array.dims) total *= static_cast<std::uint64_t>(d);
  if (array.dims.empty() || array.dims.size() > kMaxDims || total != array.data.size())
    throw IoError("write_idx: " + path + ": extents do not match the " +
                  std::to_string(array.data.size()) + " data bytes");
  GzFile f(gzopen(path.c_str(), gzip ? "wb" : "wbT"));
  if (!f) throw IoError("write_idx: cannot create " + path + " (" + std::strerror(errno) + ")");
  std::vector<std::uint8_t> header{0, 0, kUnsignedByte,
                                   static_cast<std::uint8_t>(array.dims.size())};
  for (std::int64_t d : array.dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      header.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(d) >> shift));
  const auto put = [&](const std::uint8_t* p, std::size_t n) {
    while (n > 0) {
      const auto len = static_cast<unsigned>(std::min(n, kChunk));
      if (gzwrite(f.get(), p, len) != static_cast<int>(len))
        throw IoError("write_idx: cannot write " + path);
      p += len;
      n -= len;
    }
  };
  put(header.data(), header.size());
  put(array.data.data(), array.data.size());
  if (gzclose(f.release()) != Z_OK) throw IoError("write_idx: cannot finish " + path);
}

}  // namespace dagrad::nn

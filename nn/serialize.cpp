#include <dagrad/nn/serialize.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <set>
#include <unordered_set>

#include <dagrad/core/error.hpp>

namespace dagrad::nn {

// Tensor data is copied byte for byte; a big-endian port would swap here.
static_assert(std::endian::native == std::endian::little,
              "the weights format stores tensor data little-endian");

namespace {

constexpr char kMagic[8] = {'D', 'A', 'G', 'R', 'A', 'D', 'W', '\n'};
constexpr std::size_t kHeaderSize = 24;
constexpr std::size_t kTrailerSize = 4;
constexpr int kMaxRank = 8;

std::uint8_t dtype_code(DType d) {
  switch (d) {
    case DType::f32:
      return 0;
    case DType::f64:
      return 1;
    case DType::i64:
      return 2;
  }
  return 255;
}

class Writer {
 public:
  template <class T>
  void put(T v) {  // little-endian integers, byte by byte
    for (std::size_t i = 0; i < sizeof(T); ++i)
      bytes_.push_back(static_cast<char>(static_cast<std::uint64_t>(v) >> (8 * i)));
  }
  void put_bytes(const void* p, std::size_t n) {
    const char* c = static_cast<const char*>(p);
    bytes_.insert(bytes_.end(), c, c + n);
  }
  std::vector<char>& bytes() { return bytes_; }

 private:
  std::vector<char> bytes_;
};

std::uint32_t crc_of(const char* data, std::size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // crc32 takes a uInt length: feed large buffers in pieces.
  while (n > 0) {
    const auto len = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data), len);
    data += len;
    n -= len;
  }
  return static_cast<std::uint32_t>(crc);
}

std::vector<char> encode(const std::vector<NamedTensor>& tensors, const WeightsMetadata& metadata) {
  std::set<std::string> names;
  for (const NamedTensor& t : tensors) {
    if (t.name.empty()) throw ValueError("save_tensors: a tensor has an empty name");
    if (!names.insert(t.name).second)
      throw ValueError("save_tensors: the name '" + t.name + "' appears twice");
    if (!t.tensor.defined()) throw ValueError("save_tensors: '" + t.name + "' is undefined");
    if (t.tensor.dim() > kMaxRank)
      throw ValueError("save_tensors: '" + t.name + "' has " + std::to_string(t.tensor.dim()) +
                       " dimensions (at most 8 are stored)");
  }
  for (const auto& [key, value] : metadata)
    if (key.empty()) throw ValueError("save_tensors: a metadata key is empty");
  Writer w;
  w.put_bytes(kMagic, sizeof kMagic);
  w.put<std::uint32_t>(kWeightsVersion);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(tensors.size()));
  w.put<std::uint64_t>(0);  // total size, patched below
  w.put<std::uint32_t>(static_cast<std::uint32_t>(metadata.size()));
  for (const auto& [key, value] : metadata) {  // std::map: sorted, so deterministic
    w.put<std::uint32_t>(static_cast<std::uint32_t>(key.size()));
    w.put_bytes(key.data(), key.size());
    w.put<std::uint32_t>(static_cast<std::uint32_t>(value.size()));
    w.put_bytes(value.data(), value.size());
  }
  for (const NamedTensor& t : tensors) {
    w.put<std::uint32_t>(static_cast<std::uint32_t>(t.name.size()));
    w.put_bytes(t.name.data(), t.name.size());
    w.put<std::uint8_t>(dtype_code(t.tensor.dtype()));
    w.put<std::uint8_t>(static_cast<std::uint8_t>(t.tensor.dim()));
    for (std::int64_t e : t.tensor.shape()) w.put<std::int64_t>(e);
    dispatch_any(t.tensor.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      w.put_bytes(t.tensor.template data<T>(),
                  static_cast<std::size_t>(t.tensor.numel()) * sizeof(T));
    });
  }
  std::vector<char>& bytes = w.bytes();
  const std::uint64_t total = bytes.size() + kTrailerSize;
  for (int i = 0; i < 8; ++i) bytes[16 + i] = static_cast<char>(total >> (8 * i));
  const std::uint32_t crc = crc_of(bytes.data(), bytes.size());
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>(crc >> (8 * i)));
  return bytes;
}

[[noreturn]] void io_fail(const std::string& what, const std::string& path) {
  throw IoError(what + " " + path + " (" + std::strerror(errno) + ")");
}

// Note [Atomic save]
// The new contents go to a temporary file beside the target (same file system, so rename is
// atomic), which is fsync'ed before the rename and the directory after it: after a crash the
// path names either the complete old file or the complete new one, never a partial write.
void write_atomically(const std::string& path, const std::vector<char>& bytes) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  // A hidden name with mkstemp's random suffix; appended piecewise, which also keeps GCC 12's
  // -Wrestrict false positive on `"." + string` (bug 105329) away.
  std::string tmp_name = ".";
  tmp_name.append(target.filename().string()).append(".tmp.XXXXXX");
  std::string tmp = (dir / tmp_name).string();
  const int fd = mkstemp(tmp.data());
  if (fd < 0) io_fail("save_tensors: cannot create a temporary file for", path);
  const auto abandon = [&](const char* what) {
    const int saved = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    errno = saved;
    io_fail(what, path);
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("save_tensors: cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  // mkstemp creates 0600; weights are ordinary files.
  if (::fchmod(fd, 0644) != 0) abandon("save_tensors: cannot set permissions of");
  if (::fsync(fd) != 0) abandon("save_tensors: cannot flush");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    io_fail("save_tensors: cannot close", path);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    io_fail("save_tensors: cannot rename the temporary file onto", path);
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {  // best effort: the data itself is already durable
    ::fsync(dfd);
    ::close(dfd);
  }
}

class Reader {
 public:
  Reader(const std::vector<char>& bytes, std::size_t end, const std::string& path)
      : bytes_(bytes), end_(end), path_(path) {}
  template <class T>
  T get(const char* what) {
    need(sizeof(T), what);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v |= std::uint64_t{static_cast<unsigned char>(bytes_[pos_ + i])} << (8 * i);
    pos_ += sizeof(T);
    return static_cast<T>(v);
  }
  const char* take(std::size_t n, const char* what) {
    need(n, what);
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t p) { pos_ = p; }

 private:
  void need(std::size_t n, const char* what) {
    if (n > end_ - pos_)
      throw IoError("load_tensors: " + path_ + ": malformed record (" + what + " at byte " +
                    std::to_string(pos_) + " runs past the end of the data)");
  }
  const std::vector<char>& bytes_;
  std::size_t end_;
  std::size_t pos_ = 0;
  const std::string& path_;
};

// The file's bytes, read no further than its header's recorded size allows: a foreign file is
// refused after its first bytes, and a forged or endless one (/dev/zero) never fills memory.
std::vector<char> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw IoError("load_tensors: " + path + " is a directory, not a weights file");
  std::ifstream in(path, std::ios::binary);
  if (!in) io_fail("load_tensors: cannot open", path);
  std::vector<char> bytes;
  auto read_up_to = [&](std::size_t size) {
    while (bytes.size() < size && in) {
      const std::size_t chunk = std::min<std::size_t>(size - bytes.size(), std::size_t{1} << 20);
      const std::size_t old = bytes.size();
      bytes.resize(old + chunk);
      in.read(bytes.data() + old, static_cast<std::streamsize>(chunk));
      bytes.resize(old + static_cast<std::size_t>(in.gcount()));
    }
  };
  try {
    read_up_to(kHeaderSize);
    if (bytes.size() == kHeaderSize && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0) {
      std::uint64_t total = 0;
      for (int i = 7; i >= 0; --i)
        total = total << 8 | static_cast<unsigned char>(bytes[16 + static_cast<std::size_t>(i)]);
      // One byte past the recorded size is enough to tell a file that is too long.
      read_up_to(total < SIZE_MAX - 1 ? static_cast<std::size_t>(total) + 1 : SIZE_MAX);
    }
  } catch (const std::ios_base::failure&) {  // libstdc++ throws from a failing underflow
    io_fail("load_tensors: cannot read", path);
  } catch (const std::bad_alloc&) {  // a forged size on a stream that never ends
    throw IoError("load_tensors: " + path + ": more data than memory can hold");
  }
  if (in.bad()) io_fail("load_tensors: cannot read", path);
  return bytes;
}

}  // namespace

void save_tensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                  const WeightsMetadata& metadata) {
  write_atomically(path, encode(tensors, metadata));
}

WeightsFile load_weights(const std::string& path) {
  const std::vector<char> bytes = read_file(path);
  const std::string at = "load_tensors: " + path + ": ";
  // Checks in an order that names the real fault: foreign, version, length, checksum, records.
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw IoError(at + "not a dagrad weights file (bad magic)");
  if (bytes.size() < kHeaderSize + kTrailerSize)
    throw IoError(at + "truncated: " + std::to_string(bytes.size()) +
                  " bytes, shorter than the header");
  Reader header(bytes, kHeaderSize, path);
  header.seek(sizeof kMagic);
  const auto version = header.get<std::uint32_t>("version");
  if (version != 1 && version != kWeightsVersion)
    throw IoError(at + "unsupported format version " + std::to_string(version) +
                  " (this build reads versions 1 to " + std::to_string(kWeightsVersion) + ")");
  const auto count = header.get<std::uint32_t>("tensor count");
  const auto total = header.get<std::uint64_t>("file size");
  if (total > bytes.size())
    throw IoError(at + "truncated: " + std::to_string(bytes.size()) + " bytes of the " +
                  std::to_string(total) + " the header records");
  if (total < bytes.size())  // read_file stops one byte past the recorded size
    throw IoError(at + "wrong size: more than the " + std::to_string(total) +
                  " bytes the header records");
  const std::size_t body_end = bytes.size() - kTrailerSize;
  Reader trailer(bytes, bytes.size(), path);
  trailer.seek(body_end);
  const auto stored_crc = trailer.get<std::uint32_t>("checksum");
  if (crc_of(bytes.data(), body_end) != stored_crc)
    throw IoError(at + "checksum mismatch: the file is corrupted");

  Reader r(bytes, body_end, path);
  r.seek(kHeaderSize);
  WeightsFile file;
  file.version = version;
  if (version >= 2) {
    const auto entries = r.get<std::uint32_t>("metadata count");
    for (std::uint32_t k = 0; k < entries; ++k) {
      const auto key_len = r.get<std::uint32_t>("metadata key length");
      std::string key(r.take(key_len, "metadata key"), key_len);
      const auto value_len = r.get<std::uint32_t>("metadata value length");
      std::string value(r.take(value_len, "metadata value"), value_len);
      if (key.empty()) throw IoError(at + "malformed metadata: an empty key");
      // Increasing order, as save writes it: one comparison also rules out repeats.
      if (!file.metadata.empty() && !(file.metadata.rbegin()->first < key))
        throw IoError(at + "malformed metadata: key '" + key + "' is repeated or out of order");
      file.metadata.emplace_hint(file.metadata.end(), std::move(key), std::move(value));
    }
  }
  std::vector<NamedTensor>& out = file.tensors;
  std::unordered_set<std::string> names;
  for (std::uint32_t k = 0; k < count; ++k) {
    const auto name_len = r.get<std::uint32_t>("name length");
    std::string name(r.take(name_len, "name"), name_len);
    const auto code = r.get<std::uint8_t>("dtype");
    if (code > 2)
      throw IoError(at + "malformed record: '" + name + "' has unknown dtype code " +
                    std::to_string(code));
    const DType dtype = code == 0 ? DType::f32 : code == 1 ? DType::f64 : DType::i64;
    const auto rank = r.get<std::uint8_t>("rank");
    if (rank > kMaxRank)
      throw IoError(at + "malformed record: '" + name + "' has rank " + std::to_string(rank));
    Shape shape;
    std::uint64_t n = 1;
    for (int d = 0; d < rank; ++d) {
      const auto e = r.get<std::int64_t>("extent");
      if (e < 0) throw IoError(at + "malformed record: '" + name + "' has a negative extent");
      shape.push_back(e);
      // Bound by the bytes present before multiplying further, so no overflow and no huge
      // allocation from a forged record.
      n *= static_cast<std::uint64_t>(e);
      if (n > body_end) n = body_end + 1;
    }
    const std::uint64_t data_bytes = n * dtype_size(dtype);
    if (data_bytes > body_end - r.pos())
      throw IoError(at + "malformed record: the data of '" + name + "' runs past the end");
    const char* data = r.take(static_cast<std::size_t>(data_bytes), "data");
    if (!names.insert(name).second)
      throw IoError(at + "malformed file: '" + name + "' appears twice");
    Tensor t;
    try {
      t = Tensor::empty(shape, dtype);
    } catch (const ShapeError& e) {
      throw IoError(at + "malformed record: '" + name + "': " + e.what());
    }
    std::memcpy(dispatch_any(dtype,
                             [&](auto tag) -> void* {
                               return t.template data<typename decltype(tag)::type>();
                             }),
                data, static_cast<std::size_t>(data_bytes));
    out.push_back({std::move(name), std::move(t)});
  }
  if (r.pos() != body_end)
    throw IoError(at + "malformed file: " + std::to_string(body_end - r.pos()) +
                  " unexplained bytes after the last record");
  return file;
}

std::vector<NamedTensor> load_tensors(const std::string& path) {
  return load_weights(path).tensors;
}

void save_parameters(const Module& model, const std::string& path,
                     const WeightsMetadata& metadata) {
  save_tensors(path, model.named_parameters(), metadata);
}

void load_parameters(Module& model, const std::string& path) {
  std::vector<NamedTensor> file = load_tensors(path);
  std::map<std::string, const Tensor*> by_name;
  for (const NamedTensor& t : file) by_name.emplace(t.name, &t.tensor);
  const std::vector<NamedTensor> params = model.named_parameters();
  const std::string at = "load_parameters: " + path + ": ";
  // Every check runs before the first value is written, so a failed load leaves the model as it
  // was.
  for (const NamedTensor& p : params) {
    auto it = by_name.find(p.name);
    if (it == by_name.end())
      throw IoError(at + "the model's parameter '" + p.name + "' is missing from the file");
    const Tensor& f = *it->second;
    if (f.shape() != p.tensor.shape())
      throw IoError(at + "'" + p.name + "' has shape " + to_string(f.shape()) +
                    " in the file but " + to_string(p.tensor.shape()) + " in the model");
    if (f.dtype() != p.tensor.dtype())
      throw IoError(at + "'" + p.name + "' is " + dtype_name(f.dtype()) + " in the file but " +
                    dtype_name(p.tensor.dtype()) + " in the model");
  }
  if (file.size() != params.size())
    for (const NamedTensor& t : file) {
      bool known = false;
      for (const NamedTensor& p : params) known = known || p.name == t.name;
      if (!known)
        throw IoError(at + "the file holds '" + t.name + "', which the model does not have");
    }
  for (const NamedTensor& p : params) {
    const Tensor& f = *by_name.at(p.name);
    Tensor dst = p.tensor;
    dispatch_any(dst.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      std::memcpy(dst.template data<T>(), f.template data<T>(),
                  static_cast<std::size_t>(f.numel()) * sizeof(T));
    });
  }
}

}  // namespace dagrad::nn

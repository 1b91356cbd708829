// Saving and loading named tensors (a model's parameters) in dagrad's weights format, with
// optional metadata: string pairs describing what the tensors are (e.g. the architecture a
// program needs to rebuild the model before loading into it).
//
// Format, version 2. All integers little-endian; tensor data in the machine's (little-endian)
// byte order, row-major.
//   offset  size  field
//   0       8     magic "DAGRADW\n"
//   8       4     version (uint32) = 2
//   12      4     tensor count n (uint32)
//   16      8     total file size in bytes (uint64), trailer included
//   24      4     metadata entry count m (uint32)
//   28      ...   m entries, keys in increasing byte order, each key unique and non-empty:
//                   key length (uint32), key (UTF-8), value length (uint32), value (UTF-8)
//   ...     ...   n records, in the order given to save:
//                   name length (uint32), name (UTF-8, no terminator),
//                   dtype (uint8: 0 float32, 1 float64, 2 int64), rank r (uint8, at most 8),
//                   r extents (int64 each), data (numel · dtype size bytes)
//   size−4  4     CRC-32 (zlib's crc32) of every byte before it
// Version 1, still read, is the same without the metadata count and entries (records start at
// offset 24; its metadata is empty). Saves always write version 2.
// The same tensors and metadata give the same bytes. A file is foreign when the magic differs,
// truncated when shorter than its recorded size, corrupted when the checksum fails.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <dagrad/nn/module.hpp>

namespace dagrad::nn {

inline constexpr std::uint32_t kWeightsVersion = 2;

// A weights file's metadata: key → value, kept sorted so that saves are deterministic.
using WeightsMetadata = std::map<std::string, std::string>;

struct WeightsFile {
  std::uint32_t version = kWeightsVersion;  // as read: 1 or 2
  WeightsMetadata metadata;                 // empty for version 1
  std::vector<NamedTensor> tensors;
};

// Writes tensors (and metadata) to path atomically: a temporary file in the same directory is
// written, flushed to disk (fsync) and renamed over path, so a crash leaves either the old file or
// the new one. IoError (naming the file and the system's reason) when it cannot be written; the
// temporary file is removed. ValueError when a name is empty or repeated, or a tensor is
// undefined or has more than 8 dimensions, or a metadata key is empty.
void save_tensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                  const WeightsMetadata& metadata = {});

// Reads a weights file of version 1 or 2, checking everything first: IoError naming the file
// when it cannot be opened, is foreign (bad magic), has an unsupported version, is truncated or
// longer than recorded, fails its checksum, or holds a malformed record or metadata entry.
WeightsFile load_weights(const std::string& path);

// load_weights(path).tensors.
std::vector<NamedTensor> load_tensors(const std::string& path);

// save_tensors(path, model.named_parameters(), metadata).
void save_parameters(const Module& model, const std::string& path,
                     const WeightsMetadata& metadata = {});

// Loads a file written by save_parameters into model's parameters, in place. The file must hold
// exactly the model's parameter names with the same shapes and dtypes; otherwise IoError naming
// the parameter (missing, unexpected, shape [a,b] in the file vs [c,d] in the model) and nothing
// in the model changes: all checks run before the first value is written. The file's metadata
// is not looked at (read it with load_weights).
void load_parameters(Module& model, const std::string& path);

}  // namespace dagrad::nn

// Saving and loading named tensors (a model's parameters) in dagrad's weights format.
//
// Format, version 1. All integers little-endian; tensor data in the machine's (little-endian)
// byte order, row-major.
//   offset  size  field
//   0       8     magic "DAGRADW\n"
//   8       4     version (uint32) = 1
//   12      4     tensor count n (uint32)
//   16      8     total file size in bytes (uint64), trailer included
//   24      ...   n records, in the order given to save:
//                   name length (uint32), name (UTF-8, no terminator),
//                   dtype (uint8: 0 float32, 1 float64, 2 int64), rank r (uint8, at most 8),
//                   r extents (int64 each), data (numel · dtype size bytes)
//   size−4  4     CRC-32 (zlib's crc32) of every byte before it
// The same tensors give the same bytes. A file is foreign when the magic differs, truncated
// when shorter than its recorded size, corrupted when the checksum fails.
#pragma once

#include <string>
#include <vector>

#include <dagrad/nn/module.hpp>

namespace dagrad::nn {

inline constexpr std::uint32_t kWeightsVersion = 1;

// Writes tensors to path atomically: a temporary file in the same directory is written,
// flushed to disk (fsync) and renamed over path, so a crash leaves either the old file or the
// new one. IoError (naming the file and the system's reason) when it cannot be written; the
// temporary file is removed. ValueError when a name is empty or repeated, or a tensor is
// undefined or has more than 8 dimensions.
void save_tensors(const std::string& path, const std::vector<NamedTensor>& tensors);

// Reads every tensor of a weights file, checking everything first: IoError naming the file when
// it cannot be opened, is foreign (bad magic), has an unsupported version, is truncated or
// longer than recorded, fails its checksum, or holds a malformed record.
std::vector<NamedTensor> load_tensors(const std::string& path);

// save_tensors(path, model.named_parameters()).
void save_parameters(const Module& model, const std::string& path);

// Loads a file written by save_parameters into model's parameters, in place. The file must hold
// exactly the model's parameter names with the same shapes and dtypes; otherwise IoError naming
// the parameter (missing, unexpected, shape [a,b] in the file vs [c,d] in the model) and nothing
// in the model changes: all checks run before the first value is written.
void load_parameters(Module& model, const std::string& path);

}  // namespace dagrad::nn

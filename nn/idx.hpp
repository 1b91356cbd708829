// Reading the IDX format of the MNIST family (http://yann.lecun.com/exdb/mnist/):
//   bytes 0-1  zero
//   byte  2    element type (0x08 = unsigned byte, the only type the MNIST family uses)
//   byte  3    number of dimensions n (1 to 4)
//   then n big-endian uint32 extents, then the elements in row-major order.
// Files may be gzip-compressed (read through zlib) or plain; zlib tells them apart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dagrad::nn {

struct IdxArray {
  std::vector<std::int64_t> dims;  // e.g. [60000, 28, 28] for images, [60000] for labels
  std::vector<std::uint8_t> data;  // product(dims) bytes, row-major
};

// Reads a whole IDX file of unsigned bytes. Throws IoError naming the file when it cannot be
// opened, the magic is wrong (non-zero leading bytes, an element type other than 0x08, zero or
// more than 4 dimensions), the data is shorter or longer than the extents say, or the gzip
// stream is corrupted. Memory grows with the data actually read, so a forged header cannot make
// it allocate more than the file holds.
IdxArray read_idx(const std::string& path);

// Writes an IDX file of unsigned bytes, gzip-compressed when gzip is true. For tests and tools.
// Throws IoError when the file cannot be written or the extents do not match data's size.
void write_idx(const std::string& path, const IdxArray& array, bool gzip);

}  // namespace dagrad::nn

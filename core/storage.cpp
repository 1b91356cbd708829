#include <dagrad/core/storage.hpp>

#include <cstdlib>
#include <new>

namespace dagrad {

Storage::Storage(std::size_t bytes) : bytes_(bytes) {
  // 64 bytes: one cache line, and the widest vector load (AVX-512) never splits.
  const std::size_t rounded = (bytes + 63) / 64 * 64;
  data_ = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
  if (!data_) throw std::bad_alloc();
}

Storage::~Storage() {
  std::free(data_);
}

}  // namespace dagrad

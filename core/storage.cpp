#include <dagrad/core/storage.hpp>

#include <dagrad/core/buffer_cache.hpp>

#include <new>

namespace dagrad {

Storage::Storage(std::size_t bytes) : bytes_(bytes) {
  // 64-byte aligned: one cache line, and the widest vector load (AVX-512) never splits.
  data_ = acquire_buffer(bytes);  // Note [Buffer cache]
  if (!data_) throw std::bad_alloc();
}

Storage::~Storage() {
  release_buffer(data_, bytes_);
}

}  // namespace dagrad

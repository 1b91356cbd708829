// A tensor's bytes: one 64-byte aligned allocation, shared by views (reshape, detach).
#pragma once

#include <cstddef>
#include <memory>

namespace dagrad {

class Storage {
 public:
  explicit Storage(std::size_t bytes);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() { return data_; }
  const void* data() const { return data_; }
  std::size_t bytes() const { return bytes_; }

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
};

}  // namespace dagrad

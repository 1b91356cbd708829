// Where the engine's small objects come from: Node, TensorImpl and Storage, each with its
// shared_ptr control block, recycled per thread.
//
// Note [Object pool]
// Recording an op allocates a Node, a TensorImpl and a Storage, and backward frees a whole graph
// of them at once. glibc's per-thread cache keeps only 7 blocks per size, so a 10,000-op chain
// went through malloc's bins, consolidating them, and that was about half of the cost per op
// (dagrad_bench op_overhead). So freed blocks of up to kMaxPooledSize bytes are kept in free
// lists of the thread that frees them, by 16-byte size class, up to kMaxPooledBytes per thread,
// and handed out again; the rest goes to operator new/delete. Under AddressSanitizer the pool is
// off (as the buffer cache is, Note [Buffer cache]), so use-after-free stays visible.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace dagrad {

inline constexpr std::size_t kMaxPooledSize = 512;                     // bytes per block
inline constexpr std::size_t kMaxPooledBytes = std::size_t{64} << 20;  // per thread

// A block of at least `bytes` bytes, aligned as operator new aligns (larger than kMaxPooledSize:
// straight from operator new). Throws std::bad_alloc.
void* pool_allocate(std::size_t bytes);
// Gives back a block from pool_allocate(bytes) with the same `bytes`; any thread, any time
// (during thread or program exit the block is simply freed).
void pool_deallocate(void* block, std::size_t bytes) noexcept;
// Whether blocks are recycled at all (false under AddressSanitizer).
bool object_pool_enabled() noexcept;
// Bytes of free blocks this thread's pool holds now.
std::size_t pooled_object_bytes() noexcept;

// An allocator for std::allocate_shared: single objects come from the pool.
template <class T>
struct PoolAllocator {
  using value_type = T;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);

  PoolAllocator() = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(std::size_t n) {
    if (n == 1 && sizeof(T) <= kMaxPooledSize) return static_cast<T*>(pool_allocate(sizeof(T)));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n == 1 && sizeof(T) <= kMaxPooledSize)
      pool_deallocate(p, sizeof(T));
    else
      std::allocator<T>().deallocate(p, n);
  }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

// std::make_shared with the object and its control block from the pool.
template <class T, class... Args>
std::shared_ptr<T> make_pooled(Args&&... args) {
  return std::allocate_shared<T>(PoolAllocator<T>(), std::forward<Args>(args)...);
}

}  // namespace dagrad

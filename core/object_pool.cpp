#include <dagrad/core/object_pool.hpp>

#include <cstdint>

#include <dagrad/core/buffer_cache.hpp>

namespace dagrad {

namespace {

constexpr std::size_t kGranule = 16;
constexpr std::size_t kClasses = kMaxPooledSize / kGranule;

std::size_t class_of(std::size_t bytes) {
  return bytes == 0 ? 0 : (bytes - 1) / kGranule;
}

// Trivially destructible (zero-initialised, no constructor or destructor), so it can still be
// read after this thread's Drain has run: a tensor held by a thread_local or static object is
// freed after it.
struct FreeLists {
  void* head[kClasses];  // each free block's first word points to the next
  std::size_t bytes;     // held in all lists
  bool gone;             // the thread is exiting: free, don't keep
};
thread_local FreeLists t_lists;

// Frees this thread's blocks when it exits. Constructed on first use (below), so a thread that
// never gave back a block does not register it.
struct Drain {
  Drain() noexcept {}
  ~Drain() {
    t_lists.gone = true;
    for (void*& head : t_lists.head)
      while (head) {
        void* next = *static_cast<void**>(head);
        ::operator delete(head);
        head = next;
      }
    t_lists.bytes = 0;
  }
};
thread_local Drain t_drain;

}  // namespace

void* pool_allocate(std::size_t bytes) {
  if (bytes > kMaxPooledSize) return ::operator new(bytes);
  const std::size_t c = class_of(bytes);
  if (object_pool_enabled() && !t_lists.gone) {
    if (void* block = t_lists.head[c]) {
      t_lists.head[c] = *static_cast<void**>(block);
      t_lists.bytes -= (c + 1) * kGranule;
      return block;
    }
    // The first use registers the exit clean-up, while this thread is still running normally:
    // registered from a free during static destruction it would never run.
    [[maybe_unused]] Drain* registered = &t_drain;
  }
  return ::operator new((c + 1) * kGranule);
}

void pool_deallocate(void* block, std::size_t bytes) noexcept {
  if (!block) return;
  if (bytes > kMaxPooledSize) {
    ::operator delete(block);
    return;
  }
  const std::size_t c = class_of(bytes);
  const std::size_t size = (c + 1) * kGranule;
  if (object_pool_enabled() && !t_lists.gone && t_lists.bytes + size <= kMaxPooledBytes) {
    [[maybe_unused]] Drain* registered = &t_drain;  // a block allocated on another thread
    *static_cast<void**>(block) = t_lists.head[c];
    t_lists.head[c] = block;
    t_lists.bytes += size;
    return;
  }
  ::operator delete(block);
}

std::size_t pooled_object_bytes() noexcept {
  return t_lists.gone ? 0 : t_lists.bytes;
}

bool object_pool_enabled() noexcept {
  return buffer_cache_enabled();  // the same rule: off under AddressSanitizer
}

}  // namespace dagrad

#include <dagrad/core/buffer_cache.hpp>

#include <array>
#include <bit>
#include <cstdlib>
#include <vector>

namespace dagrad {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCacheEnabled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kCacheEnabled = false;
#else
constexpr bool kCacheEnabled = true;
#endif
#else
constexpr bool kCacheEnabled = true;
#endif

// Size classes: multiples of 64 bytes up to 512; above, four classes per power of two, so a
// buffer is at most 25 % larger than asked for. Every class is a multiple of the alignment.
constexpr std::size_t kClasses = 8 + 4 * 64;
constexpr std::size_t kLargestRequest = std::size_t{1} << 62;  // class sizes cannot overflow

struct SizeClass {
  std::size_t index;
  std::size_t bytes;  // the class's buffer size
};

SizeClass size_class(std::size_t bytes) {
  if (bytes <= 512) {
    const std::size_t lines = bytes == 0 ? 1 : (bytes + 63) / 64;  // 1..8
    return {lines - 1, lines * 64};
  }
  const int k = std::bit_width(bytes - 1);  // 2^(k-1) < bytes <= 2^k, k >= 10
  const std::size_t granule = std::size_t{1} << (k - 3);
  const std::size_t m = (bytes + granule - 1) / granule;  // 5..8
  return {8 + static_cast<std::size_t>(k - 10) * 4 + (m - 5), m * granule};
}

void* allocate(std::size_t bytes) {
  return std::aligned_alloc(64, bytes);
}

class Cache {
 public:
  ~Cache();
  void* take(const SizeClass& c) {
    std::vector<void*>& list = free_[c.index];
    if (list.empty()) return nullptr;
    void* p = list.back();
    list.pop_back();
    bytes_ -= c.bytes;
    return p;
  }
  // False when the cache is full: the caller frees the buffer.
  bool keep(void* p, const SizeClass& c) {
    if (c.bytes > kMaxCachedBuffer || bytes_ + c.bytes > kMaxCachedBytes) return false;
    free_[c.index].push_back(p);  // may throw bad_alloc: the caller then frees p
    bytes_ += c.bytes;
    return true;
  }
  void clear() noexcept {
    for (std::vector<void*>& list : free_) {
      for (void* p : list) std::free(p);
      list.clear();
    }
    bytes_ = 0;
  }
  std::size_t bytes() const { return bytes_; }

 private:
  std::array<std::vector<void*>, kClasses> free_{};
  std::size_t bytes_ = 0;
};

// Trivially destructible, so it can still be read while the thread's Cache is being or has
// been destroyed (a tensor held by a static object is freed after it).
thread_local bool t_cache_gone = false;
thread_local Cache t_cache;

Cache::~Cache() {
  t_cache_gone = true;
  clear();
}

}  // namespace

void* acquire_buffer(std::size_t bytes) {
  if (bytes > kLargestRequest) return nullptr;
  const SizeClass c = size_class(bytes);
  if (kCacheEnabled && !t_cache_gone)
    if (void* p = t_cache.take(c)) return p;
  return allocate(c.bytes);
}

void release_buffer(void* buffer, std::size_t bytes) noexcept {
  if (!buffer) return;
  if (kCacheEnabled && !t_cache_gone) {
    try {
      if (t_cache.keep(buffer, size_class(bytes))) return;
    } catch (...) {  // no memory for the list entry: free the buffer instead
    }
  }
  std::free(buffer);
}

void release_cached_buffers() noexcept {
  if (!t_cache_gone) t_cache.clear();
}

bool buffer_cache_enabled() noexcept {
  return kCacheEnabled;
}

std::size_t cached_buffer_bytes() noexcept {
  return t_cache_gone ? 0 : t_cache.bytes();
}

}  // namespace dagrad

// Where tensor storage comes from: 64-byte aligned buffers, recycled per thread.
//
// Note [Buffer cache]
// A training step frees and allocates the same buffers every step (activations, gradients).
// Handed back to malloc, the large ones went back to the kernel (munmap, or a heap trim) and
// were faulted in again on the next step: 27 page faults per 784-256-10 SGD step at batch 1,
// about half of its time. So a freed buffer is kept in a cache of the thread that frees it,
// by size class (four per power of two), and handed out again for a request of its class.
// The cache holds at most kMaxCachedBytes per thread; buffers larger than kMaxCachedBuffer
// are never kept. Under AddressSanitizer the cache is off, so use-after-free stays visible.
#pragma once

#include <cstddef>

namespace dagrad {

inline constexpr std::size_t kMaxCachedBytes = std::size_t{1} << 30;   // per thread
inline constexpr std::size_t kMaxCachedBuffer = std::size_t{1} << 28;  // per buffer

// A buffer of at least `bytes` bytes (64-byte aligned), from this thread's cache when it has
// one of the right class; nullptr when memory is exhausted. Thread-safe.
void* acquire_buffer(std::size_t bytes);

// Gives back a buffer from acquire_buffer(bytes) with the same `bytes`. May be called on any
// thread, also during thread or program exit (the buffer is then simply freed).
void release_buffer(void* buffer, std::size_t bytes) noexcept;

// Frees every buffer this thread's cache holds (e.g. after a phase that used a lot of memory).
void release_cached_buffers() noexcept;

// Whether buffers are recycled at all (false under AddressSanitizer).
bool buffer_cache_enabled() noexcept;

// Bytes this thread's cache holds now.
std::size_t cached_buffer_bytes() noexcept;

}  // namespace dagrad

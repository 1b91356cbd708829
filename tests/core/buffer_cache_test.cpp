// The per-thread buffer cache behind tensor storage (Note [Buffer cache]): a freed buffer is
// handed out again for a request of its size class, aligned, never shared by two live tensors,
// and bounded.
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <dagrad/core/buffer_cache.hpp>
#include <dagrad/dagrad.hpp>

namespace dagrad::testing {
namespace {

bool aligned(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) % 64 == 0;
}

TEST(BufferCache, EveryBufferIsAlignedAndLargeEnough) {
  for (std::size_t bytes : {0ul, 1ul, 63ul, 64ul, 65ul, 511ul, 513ul, 4096ul, 802816ul}) {
    void* p = acquire_buffer(bytes);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(aligned(p)) << bytes;
    std::memset(p, 0xab, bytes);  // the whole request is writable (ASan checks the bounds)
    release_buffer(p, bytes);
  }
}

TEST(BufferCache, AFreedBufferServesTheNextRequestOfItsClass) {
  if (!buffer_cache_enabled()) GTEST_SKIP() << "the cache is off under AddressSanitizer";
  release_cached_buffers();
  void* p = acquire_buffer(802816);  // a 784x256 float32 gradient
  release_buffer(p, 802816);
  EXPECT_GE(cached_buffer_bytes(), 802816u);
  EXPECT_EQ(acquire_buffer(802000), p);  // same class: the same buffer again
  EXPECT_EQ(cached_buffer_bytes(), 0u);
  release_buffer(p, 802000);
  void* other = acquire_buffer(100);  // another class: not that buffer
  EXPECT_NE(other, p);
  release_buffer(other, 100);
  release_cached_buffers();
  EXPECT_EQ(cached_buffer_bytes(), 0u);
}

TEST(BufferCache, LiveTensorsNeverShareABuffer) {
  std::vector<Tensor> live;
  std::set<const void*> seen;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 50; ++i) live.push_back(full({7, 13}, i, DType::f32));
    for (const Tensor& t : live) EXPECT_TRUE(seen.insert(t.data<float>()).second);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(live[static_cast<std::size_t>(i)].at({6, 12}), i);
    live.clear();  // back to the cache; the next round reuses them
    seen.clear();
  }
}

TEST(BufferCache, BuffersLargerThanTheLimitAreNotKept) {
  release_cached_buffers();
  const std::size_t big = kMaxCachedBuffer + 64;
  void* p = acquire_buffer(big);
  ASSERT_NE(p, nullptr);
  release_buffer(p, big);
  EXPECT_EQ(cached_buffer_bytes(), 0u);
}

TEST(BufferCache, ABufferFreedOnAnotherThreadJoinsThatThreadsCache) {
  if (!buffer_cache_enabled()) GTEST_SKIP() << "the cache is off under AddressSanitizer";
  release_cached_buffers();
  Tensor t = zeros({256, 256});
  std::size_t cached_there = 0;
  std::thread([&] {
    t = Tensor();  // the last handle goes here
    cached_there = cached_buffer_bytes();
  }).join();  // that thread's cache is freed as it exits
  EXPECT_GE(cached_there, 256u * 256u * 4u);
  EXPECT_EQ(cached_buffer_bytes(), 0u);
}

}  // namespace
}  // namespace dagrad::testing

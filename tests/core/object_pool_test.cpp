// The per-thread pool behind nodes, tensor impls and storages (Note [Object pool]): a freed block
// serves the next request of its size class, live objects never share a block, the pool is
// bounded, and a thread's blocks are freed when it exits.
#include <cstring>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <dagrad/core/object_pool.hpp>
#include <dagrad/dagrad.hpp>

namespace dagrad::testing {
namespace {

TEST(ObjectPool, EveryBlockIsAlignedAndLargeEnough) {
  for (std::size_t bytes : {0ul, 1ul, 15ul, 16ul, 17ul, 200ul, 511ul, 512ul, 513ul, 4096ul}) {
    void* p = pool_allocate(bytes);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % __STDCPP_DEFAULT_NEW_ALIGNMENT__, 0u);
    std::memset(p, 0xab, bytes);  // the whole request is writable (ASan checks the bounds)
    pool_deallocate(p, bytes);
  }
}

TEST(ObjectPool, AFreedBlockServesTheNextRequestOfItsClass) {
  if (!object_pool_enabled()) GTEST_SKIP() << "the pool is off under AddressSanitizer";
  void* p = pool_allocate(200);
  const std::size_t before = pooled_object_bytes();  // after: p may have come from the pool
  pool_deallocate(p, 200);
  EXPECT_EQ(pooled_object_bytes(), before + 208);  // 200 rounded up to 16-byte granules
  EXPECT_EQ(pool_allocate(193), p);                // the same class
  void* other = pool_allocate(100);                // another class: not that block
  EXPECT_NE(other, p);
  pool_deallocate(p, 193);
  pool_deallocate(other, 100);
}

TEST(ObjectPool, SharedObjectsLiveAndDieAsWithMakeShared) {
  struct Counted {
    explicit Counted(int* alive) : alive(alive) { ++*alive; }
    ~Counted() { --*alive; }
    int* alive;
    char payload[100] = {};
  };
  int alive = 0;
  std::weak_ptr<Counted> weak;
  {
    auto a = make_pooled<Counted>(&alive);
    auto b = a;
    weak = a;
    EXPECT_EQ(alive, 1);
  }
  EXPECT_EQ(alive, 0);
  EXPECT_TRUE(weak.expired());  // the control block outlives the object while weak refs exist
  weak.reset();
}

TEST(ObjectPool, LiveGraphsNeverShareABlock) {
  // Nodes and impls of graphs built while others are alive are distinct objects, and values
  // and gradients come out right when blocks are reused round after round.
  for (int round = 0; round < 3; ++round) {
    std::vector<Tensor> live;
    Tensor x = scalar(2.0, DType::f64).set_requires_grad();
    for (int i = 0; i < 200; ++i) live.push_back(x * scalar(static_cast<double>(i), DType::f64));
    std::set<const void*> nodes, impls;
    for (const Tensor& t : live) {
      EXPECT_TRUE(nodes.insert(t.grad_fn().get()).second);
      EXPECT_TRUE(impls.insert(t.impl()).second);
    }
    Tensor total = live[0];
    for (int i = 1; i < 200; ++i) total = total + live[static_cast<std::size_t>(i)];
    total.backward();
    EXPECT_DOUBLE_EQ(total.item(), 2.0 * 199 * 200 / 2);
    EXPECT_DOUBLE_EQ(x.grad().item(), 199.0 * 200 / 2);
  }
}

TEST(ObjectPool, IsBoundedPerThread) {
  if (!object_pool_enabled()) GTEST_SKIP() << "the pool is off under AddressSanitizer";
  const std::size_t n = kMaxPooledBytes / 512 + 100;
  std::vector<void*> blocks(n);
  for (void*& b : blocks) b = pool_allocate(512);
  for (void* b : blocks) pool_deallocate(b, 512);
  EXPECT_LE(pooled_object_bytes(), kMaxPooledBytes);
  for (void*& b : blocks) b = pool_allocate(512);  // give the memory back to the allocator
  for (void* b : blocks) ::operator delete(b);
}

TEST(ObjectPool, ABlockFreedOnAnotherThreadJoinsThatThreadsPool) {
  if (!object_pool_enabled()) GTEST_SKIP() << "the pool is off under AddressSanitizer";
  Tensor t = zeros({3}).set_requires_grad() * 2.0;
  std::size_t pooled_there = 0;
  std::thread([&] {
    t = Tensor();  // the graph's last handle goes here
    pooled_there = pooled_object_bytes();
  }).join();  // that thread's pool is freed as it exits
  EXPECT_GT(pooled_there, 0u);
}

}  // namespace
}  // namespace dagrad::testing

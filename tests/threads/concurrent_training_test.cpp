// Two threads each build, differentiate and update their own model at the same time. Grad mode
// and named scopes are thread_local, the op registry is guarded by a mutex and each op function
// finds its OpDef through a function-local static: none of that may leak between threads or
// race. Run under ThreadSanitizer by the `tsan` preset; the results must also be exactly those
// of the same runs made one after the other.
#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <dagrad/core/export.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/ops/ops.hpp>

#include "support/synthetic.hpp"

using namespace dagrad;
using namespace dagrad::testing;

namespace {

constexpr int kSteps = 300;
constexpr std::int64_t kBatch = 16;

struct TrainResult {
  std::vector<double> params;
  bool recorded_every_step = true;  // grad mode stayed on in this thread's training steps
  bool no_grad_respected = true;    // and off inside its own NoGradGuard
  bool scope_kept = true;           // current_scope() was always this thread's own
  bool dot_names_own_scope = true;  // exported graphs show this thread's scope only
};

TrainResult train(std::uint64_t seed, const std::string& other_scope) {
  TrainResult r;
  const std::string scope = "trainer" + std::to_string(seed);
  const Classification data = make_classification(seed, 4 * kBatch, 8, 4);
  auto net = make_mlp(seed, 8, 16, 4);
  nn::Adam opt(net->parameters(), {.lr = 1e-2});
  ScopeGuard guard(scope);
  for (int step = 0; step < kSteps; ++step) {
    const std::int64_t b = step % 4;
    const Tensor x = rows(data.x, b * kBatch, (b + 1) * kBatch);
    const Tensor y = rows(data.y, b * kBatch, (b + 1) * kBatch);
    opt.zero_grad();
    const Tensor loss = cross_entropy((*net)(x), y);
    r.recorded_every_step = r.recorded_every_step && loss.requires_grad() && loss.grad_fn();
    r.scope_kept = r.scope_kept && current_scope() == scope;
    if (step % 100 == 0) {
      const std::string dot = to_dot(loss);
      r.dot_names_own_scope = r.dot_names_own_scope && dot.find(scope) != std::string::npos &&
                              dot.find(other_scope) == std::string::npos;
    }
    loss.backward();
    opt.step();
    if (step % 50 == 0) {
      NoGradGuard no_grad;
      r.no_grad_respected = r.no_grad_respected && !(*net)(data.x).requires_grad();
    }
  }
  r.params = flat_values(*net);
  return r;
}

void expect_clean(const TrainResult& r) {
  EXPECT_TRUE(r.recorded_every_step);
  EXPECT_TRUE(r.no_grad_respected);
  EXPECT_TRUE(r.scope_kept);
  EXPECT_TRUE(r.dot_names_own_scope);
}

}  // namespace

// The first op calls of the process happen on two threads at once (ctest runs each test in its
// own process), so the registry and the ops' function-local statics are initialised under
// contention.
TEST(ConcurrentTraining, ColdStartOnTwoThreads) {
  std::latch start(2);
  TrainResult a, b;
  std::thread ta([&] {
    start.arrive_and_wait();
    a = train(1, "trainer2");
  });
  std::thread tb([&] {
    start.arrive_and_wait();
    b = train(2, "trainer1");
  });
  ta.join();
  tb.join();
  expect_clean(a);
  expect_clean(b);
  EXPECT_NE(a.params, b.params);
}

TEST(ConcurrentTraining, TwoThreadsGiveTheSequentialResults) {
  const TrainResult ref_a = train(3, "trainer4");
  const TrainResult ref_b = train(4, "trainer3");
  for (int round = 0; round < 3; ++round) {
    std::latch start(2);
    TrainResult a, b;
    std::thread ta([&] {
      start.arrive_and_wait();
      a = train(3, "trainer4");
    });
    std::thread tb([&] {
      start.arrive_and_wait();
      b = train(4, "trainer3");
    });
    ta.join();
    tb.join();
    expect_clean(a);
    expect_clean(b);
    // Bit for bit: the same seed and the same operations give the same floating-point results.
    EXPECT_EQ(a.params, ref_a.params) << "round " << round;
    EXPECT_EQ(b.params, ref_b.params) << "round " << round;
  }
}

// One thread holds a NoGradGuard for its whole life while the other records graphs; the latches
// make sure the guard is in force during every one of the recording thread's steps.
TEST(ConcurrentTraining, GradModeIsPerThread) {
  std::latch guard_on(1), recorder_done(1);
  int recorded = 0, unrecorded = 0;
  std::thread quiet([&] {
    NoGradGuard no_grad;
    guard_on.count_down();
    const Tensor w = randn({4, 4}, 7).set_requires_grad();
    for (int i = 0; i < 500; ++i) unrecorded += !matmul(w, w).requires_grad();
    recorder_done.wait();
  });
  std::thread loud([&] {
    guard_on.wait();
    const Tensor w = randn({4, 4}, 8).set_requires_grad();
    for (int i = 0; i < 500; ++i) {
      const Tensor out = sum(matmul(w, w));
      recorded += out.grad_fn() != nullptr;
      out.backward();
    }
    recorder_done.count_down();
  });
  quiet.join();
  loud.join();
  EXPECT_EQ(unrecorded, 500);
  EXPECT_EQ(recorded, 500);
}

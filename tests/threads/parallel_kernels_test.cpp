// Large matrix products run on OpenMP threads (one slab of the result per thread, through
// OpenBLAS or Eigen) inside threads of the user's own: two
// trainers at once, each differentiating and updating a model whose products are big enough to
// be split over dagrad::num_threads() threads. Run under ThreadSanitizer by the `tsan` preset.
// The results must equal those of the same work done on one thread.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/threads.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/ops.hpp>

#include "support/threads_reset.hpp"

using namespace dagrad;

namespace {

// A model y = tanh(x·W1·0.01)·W2 trained for a few SGD steps. x·W1 (256×512 by 512×256) is
// 2^25 multiply-adds, above the threshold for threading (2^20), and so are the two products of
// its derivative: each runs on OpenMP threads when more than one is allowed.
std::vector<double> train(std::uint64_t seed) {
  const Tensor x = randn({256, 512}, seed, DType::f64);
  Tensor w1 = randn({512, 256}, seed + 1, DType::f64).set_requires_grad();
  Tensor w2 = randn({256, 4}, seed + 2, DType::f64).set_requires_grad();
  nn::SGD opt({w1, w2}, {.lr = 0.01, .momentum = 0.9});
  for (int step = 0; step < 3; ++step) {
    opt.zero_grad();
    mean(square(matmul(tanh(matmul(x, w1) * 0.01), w2))).backward();
    opt.step();
  }
  std::vector<double> out = w1.to_vector();
  const std::vector<double> v2 = w2.to_vector();
  out.insert(out.end(), v2.begin(), v2.end());
  return out;
}

void expect_close(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_NEAR(a[i], b[i], 1e-12 * (1 + std::abs(b[i]))) << "element " << i;
}

TEST(ParallelKernels, ThreadCountIsChecked) {
  dagrad::testing::ThreadsReset reset;
  EXPECT_THROW(set_num_threads(-1), ValueError);
  set_num_threads(3);
  EXPECT_EQ(num_threads(), parallel_kernels_available() ? 3 : 1);
  set_num_threads(0);
  EXPECT_GE(num_threads(), 1);
}

TEST(ParallelKernels, OpenMpProductsInsideTwoConcurrentTrainers) {
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  dagrad::testing::ThreadsReset reset;
  set_num_threads(1);
  const std::vector<double> ref_a = train(11), ref_b = train(12);

  set_num_threads(2);
  std::vector<double> a, b;
  std::thread ta([&] { a = train(11); });
  std::thread tb([&] { b = train(12); });
  ta.join();
  tb.join();
  expect_close(a, ref_a);
  expect_close(b, ref_b);
}

}  // namespace

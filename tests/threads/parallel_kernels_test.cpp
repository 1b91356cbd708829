// Large matrix products run on OpenMP threads (Eigen's parallel GEMM) inside threads of the
// user's own: two trainers at once, each differentiating products big enough to be split over
// dagrad::num_threads() threads. Run under ThreadSanitizer by the `tsan` preset. The results
// must equal those of the same work done on one thread.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/threads.hpp>
#include <dagrad/ops/ops.hpp>

using namespace dagrad;

namespace {

// Restores the default thread count when a test ends.
struct ThreadsReset {
  ~ThreadsReset() { set_num_threads(0); }
};

// 256×512 by 512×256: 2^25 multiply-adds, above kParallelMinMultiplyAdds, in both the forward
// product and the two products of its derivative.
std::vector<double> step_gradients(std::uint64_t seed) {
  const Tensor x = randn({256, 512}, seed, DType::f64).set_requires_grad();
  const Tensor w = randn({512, 256}, seed + 1, DType::f64).set_requires_grad();
  sum(tanh(matmul(x, w) * 0.01)).backward();
  std::vector<double> out = x.grad().to_vector();
  const std::vector<double> gw = w.grad().to_vector();
  out.insert(out.end(), gw.begin(), gw.end());
  return out;
}

void expect_close(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    ASSERT_NEAR(a[i], b[i], 1e-12 * (1 + std::abs(b[i]))) << "element " << i;
}

TEST(ParallelKernels, ThreadCountIsChecked) {
  ThreadsReset reset;
  EXPECT_THROW(set_num_threads(-1), ValueError);
  set_num_threads(3);
  EXPECT_EQ(num_threads(), parallel_kernels_available() ? 3 : 1);
  set_num_threads(0);
  EXPECT_GE(num_threads(), 1);
}

TEST(ParallelKernels, OpenMpProductsInsideTwoConcurrentTrainers) {
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  ThreadsReset reset;
  set_num_threads(1);
  const std::vector<double> ref_a = step_gradients(11), ref_b = step_gradients(12);

  set_num_threads(2);
  std::vector<double> a, b;
  std::thread ta([&] {
    for (int i = 0; i < 3; ++i) a = step_gradients(11);
  });
  std::thread tb([&] {
    for (int i = 0; i < 3; ++i) b = step_gradients(12);
  });
  ta.join();
  tb.join();
  expect_close(a, ref_a);
  expect_close(b, ref_b);
}

}  // namespace

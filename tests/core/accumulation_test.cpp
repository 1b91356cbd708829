// Gradients reaching a tensor along several edges are summed: x*x, x + x*y, a diamond, and
// weights shared by two layers. Expected gradients are worked out by hand.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

Tensor leaf(const Nested& values) {
  return tensor(values, DType::f64).set_requires_grad();
}

TEST(Accumulation, SquareBySelfProduct) {
  Tensor x = leaf({1.5, -2.0, 0.5});
  sum(x * x).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {3}, {3.0, -4.0, 1.0}, 0, 0));  // 2x
}

TEST(Accumulation, SumAndProductOfTheSameInput) {
  Tensor x = leaf({{1.0, 2.0}, {3.0, 4.0}});
  Tensor y = leaf({{0.5, -1.0}, {2.0, 0.0}});
  sum(x + x * y).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {2, 2}, {1.5, 0.0, 3.0, 1.0}, 0, 0));  // 1 + y
  EXPECT_TRUE(tensor_near(y.grad(), {2, 2}, {1, 2, 3, 4}, 0, 0));          // x
}

TEST(Accumulation, Diamond) {
  // a = 2x; b = a², c = 3a; d = b + c:  dd/dx = (2a + 3)·2 = 8x + 6
  Tensor x = leaf({0.5, -1.0});
  const Tensor a = x * 2.0;
  const Tensor d = a * a + a * 3.0;
  sum(d).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {10.0, -2.0}, 1e-15, 0));
}

TEST(Accumulation, ThroughABroadcastInBothBranches) {
  // b [3] is added to every row of two different matrices: its gradient sums over both.
  Tensor b = leaf({1.0, 2.0, 3.0});
  const Tensor p = ones({2, 3}, DType::f64), q = full({4, 3}, 2.0, DType::f64);
  sum(p + b).backward();
  EXPECT_TRUE(tensor_near(b.grad(), {3}, {2, 2, 2}, 0, 0));
  b.zero_grad();
  sum((p + b) * 1.0).backward();
  sum((q * b)).backward();  // accumulates: 2 + 4·2
  EXPECT_TRUE(tensor_near(b.grad(), {3}, {10, 10, 10}, 0, 0));
}

TEST(Accumulation, SharedWeightsInTwoLayers) {
  // L = Σ (x·W)·W with W square: dL/dW = xᵀ·1·Wᵀ + (x·W)ᵀ·1
  const std::vector<double> xv = {1.0, -2.0, 0.5, 3.0}, wv = {0.2, -0.7, 1.1, 0.4};
  const Tensor x = Tensor::from_values({2, 2}, xv, DType::f64);
  Tensor w = Tensor::from_values({2, 2}, wv, DType::f64).set_requires_grad();
  sum(matmul(matmul(x, w), w)).backward();
  auto X = [&](int i, int j) { return xv[i * 2 + j]; };
  auto W = [&](int i, int j) { return wv[i * 2 + j]; };
  std::vector<double> want(4, 0.0);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      double first = 0,
             second = 0;  // (xᵀ 1 Wᵀ)_ij = Σ_r x_ri Σ_c W_jc;  ((xW)ᵀ 1)_ij = Σ_r (xW)_ri
      for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) first += X(r, i) * W(j, c);
      for (int r = 0; r < 2; ++r) second += X(r, 0) * W(0, i) + X(r, 1) * W(1, i);
      want[i * 2 + j] = first + second;
    }
  EXPECT_TRUE(tensor_near(w.grad(), {2, 2}, want, 1e-14, 1e-15));
}

TEST(Accumulation, ALeafUsedAsTheRootItself) {
  Tensor x = leaf(3.0);
  x.backward();
  EXPECT_TRUE(tensor_near(x.grad(), {}, {1.0}, 0, 0));
}

}  // namespace
}  // namespace dagrad::testing

// zero_grad: set_to_none drops the gradient; zero-fill keeps the buffer and zeroes it.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(ZeroGrad, SetToNoneDropsTheGradient) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  sum(x * x).backward();
  ASSERT_TRUE(x.grad().defined());
  x.zero_grad();
  EXPECT_FALSE(x.grad().defined());
  sum(x * 5.0).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {5, 5}, 0, 0));  // fresh, not 2x + 5
}

TEST(ZeroGrad, FillKeepsTheBufferAndZeroesIt) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  sum(x * x).backward();
  const Tensor before = x.grad();
  x.zero_grad(/*set_to_none=*/false);
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().impl(), before.impl());
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {0, 0}, 0, 0));
  sum(x * 5.0).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {5, 5}, 0, 0));
}

TEST(ZeroGrad, WithoutAGradientIsHarmless) {
  Tensor x = ones({2}).set_requires_grad();
  x.zero_grad();
  x.zero_grad(false);
  EXPECT_FALSE(x.grad().defined());
}

TEST(ZeroGrad, GradientsAccumulateUntilZeroed) {
  Tensor x = tensor({1.0}, DType::f64).set_requires_grad();
  for (int i = 0; i < 3; ++i) sum(x * 2.0).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {1}, {6}, 0, 0));
}

}  // namespace
}  // namespace dagrad::testing

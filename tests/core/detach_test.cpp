// detach: same data, no graph, a leaf that does not require grad; gradients stop there.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(Detach, SharesDataWithoutTheGraph) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  const Tensor y = x * 3.0;
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_FALSE(d.grad_fn());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_NE(d.impl(), y.impl());
  d.set({0}, 42.0);
  EXPECT_EQ(y.at({0}), 42.0);  // same storage, as PyTorch
}

TEST(Detach, StopsGradients) {
  Tensor x = tensor({1.5, -2.0}, DType::f64).set_requires_grad();
  sum(x * x.detach()).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {1.5, -2.0}, 0, 0));  // x, not 2x
}

TEST(Detach, ADetachedTensorCanBecomeAParameter) {
  Tensor x = tensor({2.0}, DType::f64).set_requires_grad();
  Tensor d = (x * 2.0).detach().set_requires_grad();
  sum(d * d).backward();
  EXPECT_TRUE(tensor_near(d.grad(), {1}, {8.0}, 0, 0));
  EXPECT_FALSE(x.grad().defined());
}

}  // namespace
}  // namespace dagrad::testing

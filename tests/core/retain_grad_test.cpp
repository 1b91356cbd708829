// retain_grad: a non-leaf keeps its gradient only when asked; leaves always do.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(RetainGrad, NonLeafKeepsItsGradientWhenAsked) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  Tensor h = x * 3.0;
  h.retain_grad();
  const Tensor other = x * 2.0;
  sum(h * h + other).backward();
  EXPECT_TRUE(tensor_near(h.grad(), {2}, {6.0, 12.0}, 0, 0));   // 2h
  EXPECT_FALSE(other.grad().defined());                         // not asked
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {20.0, 38.0}, 0, 0));  // 18x + 2
}

TEST(RetainGrad, NonLeafWithoutItHasNoGradient) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  const Tensor h = sigmoid(x);
  sum(h).backward();
  EXPECT_FALSE(h.grad().defined());
  EXPECT_FALSE(h.is_leaf());
}

TEST(RetainGrad, AccumulatesAcrossRetainedPasses) {
  Tensor x = tensor({1.0}, DType::f64).set_requires_grad();
  Tensor h = x * 2.0;
  h.retain_grad();
  const Tensor loss = sum(h * 5.0);
  loss.backward(Tensor(), true);
  loss.backward();
  EXPECT_TRUE(tensor_near(h.grad(), {1}, {10.0}, 0, 0));
}

TEST(RetainGrad, OnATensorThatNeedsNoGradientIsAGraphError) {
  Tensor c = ones({2});
  EXPECT_THROW_WITH(c.retain_grad(), GraphError, "retain_grad");
}

TEST(RetainGrad, SetRequiresGradOnANonLeafIsAGraphError) {
  Tensor x = ones({2}).set_requires_grad();
  Tensor h = x * 2.0;
  EXPECT_THROW_WITH(h.set_requires_grad(), GraphError, "set_requires_grad", "leaves", "mul");
  EXPECT_THROW_WITH(zeros({2}, DType::i64).set_requires_grad(), DTypeError, "set_requires_grad",
                    "int64");
}

}  // namespace
}  // namespace dagrad::testing

// no_grad: nothing is recorded inside the scope; recording resumes after it.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(NoGrad, RecordsNothing) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  Tensor y;
  {
    NoGradGuard guard;
    EXPECT_FALSE(grad_enabled());
    y = sigmoid(x * 2.0) + x;
  }
  EXPECT_FALSE(y.grad_fn());
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(y.is_leaf());
  EXPECT_EQ(graph_size(y), 0u);
  EXPECT_THROW_WITH(sum(y).backward(), GraphError, "does not require grad");
}

TEST(NoGrad, RecordingResumesAfterTheScope) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  { NoGradGuard guard; }
  EXPECT_TRUE(grad_enabled());
  const Tensor y = x * 2.0;
  EXPECT_TRUE(y.grad_fn());
  EXPECT_TRUE(y.requires_grad());
}

TEST(NoGrad, NestsAndCanBeReenabledInside) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  NoGradGuard outer;
  {
    NoGradGuard inner;
    EXPECT_FALSE(grad_enabled());
  }
  EXPECT_FALSE(grad_enabled());  // the inner guard restores "off", not "on"
  {
    EnableGradGuard enable;
    EXPECT_TRUE((x * 2.0).requires_grad());
  }
  EXPECT_FALSE((x * 2.0).requires_grad());
}

TEST(NoGrad, ValuesAreStillComputed) {
  Tensor x = tensor({1.0, -1.0}, DType::f64).set_requires_grad();
  NoGradGuard guard;
  EXPECT_TRUE(tensor_near(x * 3.0 + 1.0, {2}, {4.0, -2.0}, 0, 0));
}

}  // namespace
}  // namespace dagrad::testing

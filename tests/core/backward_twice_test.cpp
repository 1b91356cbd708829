// A second backward() through a released graph is a GraphError saying what to do; with
// retain_graph the gradients accumulate (they double).
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(BackwardTwice, WithoutRetainGraphIsAGraphError) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  const Tensor loss = sum(sigmoid(x) * x);
  loss.backward();
  EXPECT_THROW_WITH(loss.backward(), GraphError, "released", "retain_graph");
}

TEST(BackwardTwice, WithRetainGraphAccumulates) {
  Tensor x = tensor({1.0, -2.0}, DType::f64).set_requires_grad();
  const Tensor loss = sum(x * x * x);
  loss.backward(Tensor(), /*retain_graph=*/true);
  const std::vector<double> once = x.grad().to_vector();
  EXPECT_EQ(once, (std::vector<double>{3.0, 12.0}));  // 3x²
  loss.backward(Tensor(), true);
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {6.0, 24.0}, 0, 0));
  loss.backward();  // the last one may release
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {9.0, 36.0}, 0, 0));
  EXPECT_THROW(loss.backward(), GraphError);
}

TEST(BackwardTwice, AFreshGraphOverTheSameLeavesIsFine) {
  Tensor x = tensor({2.0}, DType::f64).set_requires_grad();
  sum(x * 3.0).backward();
  sum(x * 3.0).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {1}, {6.0}, 0, 0));
}

TEST(BackwardTwice, APartlyReleasedGraphIsAlsoAnError) {
  Tensor x = tensor({2.0}, DType::f64).set_requires_grad();
  const Tensor h = x * 3.0;
  sum(h).backward();  // releases h's node
  EXPECT_THROW_WITH(sum(h * 2.0).backward(), GraphError, "retain_graph");
}

}  // namespace
}  // namespace dagrad::testing

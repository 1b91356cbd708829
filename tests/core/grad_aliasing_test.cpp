// A gradient stored in grad() belongs to that tensor alone: filling, zeroing or accumulating it
// never changes another tensor's gradient or the upstream gradient the caller passed in.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(GradAliasing, TwoLeavesOfOneAddDoNotShareAGradient) {
  // add's derivative hands the same upstream gradient to both inputs.
  Tensor a = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  Tensor b = tensor({3.0, 4.0}, DType::f64).set_requires_grad();
  sum(a + b).backward();
  a.zero_grad(/*set_to_none=*/false);
  EXPECT_TRUE(tensor_near(a.grad(), {2}, {0, 0}, 0, 0));
  EXPECT_TRUE(tensor_near(b.grad(), {2}, {1, 1}, 0, 0));
}

TEST(GradAliasing, AccumulatingIntoOneLeafLeavesTheOtherAlone) {
  Tensor a = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  Tensor b = tensor({3.0, 4.0}, DType::f64).set_requires_grad();
  sum(a + b).backward();
  sum(a * 5.0).backward();
  EXPECT_TRUE(tensor_near(a.grad(), {2}, {6, 6}, 0, 0));
  EXPECT_TRUE(tensor_near(b.grad(), {2}, {1, 1}, 0, 0));
}

TEST(GradAliasing, TheCallersUpstreamGradientIsNotTheLeafsGradient) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  Tensor g = tensor({0.5, -1.0}, DType::f64);
  (x + 1.0).backward(g);  // add passes g through unchanged
  x.zero_grad(/*set_to_none=*/false);
  EXPECT_TRUE(tensor_near(g, {2}, {0.5, -1.0}, 0, 0));
  g.set({0}, 100.0);
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {0, 0}, 0, 0));
}

TEST(GradAliasing, ALeafRootDoesNotAdoptTheCallersGradient) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  Tensor g = tensor({0.5, -1.0}, DType::f64);
  x.backward(g);
  g.set({1}, 7.0);
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {0.5, -1.0}, 0, 0));
}

TEST(GradAliasing, AReshapedGradientIsNotAViewOfTheCallers) {
  Tensor x = tensor({1.0, 2.0, 3.0, 4.0}, DType::f64).set_requires_grad();
  Tensor g = ones({2, 2}, DType::f64);
  reshape(x, {2, 2}).backward(g);
  g.set({0, 0}, -5.0);
  EXPECT_TRUE(tensor_near(x.grad(), {4}, {1, 1, 1, 1}, 0, 0));
}

TEST(GradAliasing, AccumulationDoesNotWriteIntoTheCallersGradient) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  Tensor g = tensor({1.0, 1.0}, DType::f64);
  (x + 1.0).backward(g);
  (x * 2.0).backward(tensor({1.0, 1.0}, DType::f64));
  EXPECT_TRUE(tensor_near(x.grad(), {2}, {3, 3}, 0, 0));
  EXPECT_TRUE(tensor_near(g, {2}, {1, 1}, 0, 0));
}

}  // namespace
}  // namespace dagrad::testing

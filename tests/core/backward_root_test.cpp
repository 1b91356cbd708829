// What backward() may start from: a scalar, or anything with an explicit gradient of its shape.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(BackwardRoot, NonScalarWithoutAGradientIsAGraphError) {
  Tensor x = ones({2, 3}, DType::f64).set_requires_grad();
  EXPECT_THROW_WITH((x * 2.0).backward(), GraphError, "backward", "scalar", "[2,3]");
}

TEST(BackwardRoot, NonScalarWithAGradientOfItsShape) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, DType::f64).set_requires_grad();
  const Tensor g = tensor({{1.0, 0.0, -1.0}, {0.5, 2.0, 0.0}}, DType::f64);
  (x * x).backward(g);
  EXPECT_TRUE(tensor_near(x.grad(), {2, 3}, {2.0, 0.0, -6.0, 4.0, 20.0, 0.0}, 0, 0));  // 2x·g
}

TEST(BackwardRoot, GradientOfTheWrongShapeOrDtypeIsAShapeError) {
  Tensor x = ones({2, 3}, DType::f64).set_requires_grad();
  const Tensor y = x * 2.0;
  EXPECT_THROW_WITH(y.backward(ones({3, 2}, DType::f64)), ShapeError, "backward", "[3,2]", "[2,3]");
  EXPECT_THROW_WITH(y.backward(ones({2, 3}, DType::f32)), ShapeError, "backward", "float32",
                    "float64");
}

TEST(BackwardRoot, OneElementNonScalarNeedsNoGradient) {
  Tensor x = tensor({{2.0}}, DType::f64).set_requires_grad();
  (x * x).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {1, 1}, {4.0}, 0, 0));
}

TEST(BackwardRoot, FromATensorThatNeedsNoGradientIsAGraphError) {
  EXPECT_THROW_WITH(sum(ones({2}) * 2.0).backward(), GraphError, "does not require grad");
}

}  // namespace
}  // namespace dagrad::testing

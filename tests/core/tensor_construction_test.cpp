// Building tensors: from shape + values, nested lists, zeros/ones/full/arange; rank 0 to 4.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(TensorConstruction, FromShapeAndValues) {
  const std::vector<double> v = {1, 2, 3, 4, 5, 6};
  const Tensor t = Tensor::from_values({2, 3}, v);
  EXPECT_EQ(t.dtype(), DType::f32);  // float32 by default
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.dim(), 2u);
  EXPECT_EQ(t.at({1, 0}), 4.0);
  EXPECT_EQ(Tensor::from_values({3, 2}, v, DType::f64).at({2, 1}), 6.0);
  const std::vector<std::int64_t> labels = {3, -1};
  EXPECT_EQ(Tensor::from_values({2}, labels).dtype(), DType::i64);
}

TEST(TensorConstruction, WrongValueCountIsAShapeError) {
  const std::vector<double> v = {1, 2, 3, 4, 5};
  EXPECT_THROW_WITH(Tensor::from_values({2, 3}, v), ShapeError, "5", "[2,3]", "6");
}

TEST(TensorConstruction, FromNestedLists) {
  const Tensor m = tensor({{1, 2, 3}, {4, 5, 6}});
  EXPECT_TRUE(tensor_near(m, {2, 3}, {1, 2, 3, 4, 5, 6}, 0, 0));
  const Tensor cube = tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, DType::f64);
  EXPECT_TRUE(tensor_near(cube, {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}, 0, 0));
  EXPECT_EQ(cube.dtype(), DType::f64);
  EXPECT_TRUE(tensor_near(tensor({7, 8, 9}), {3}, {7, 8, 9}, 0, 0));
  EXPECT_TRUE(tensor_near(tensor(2.5), {}, {2.5}, 0, 0));
}

TEST(TensorConstruction, RaggedNestedListsAreAShapeError) {
  EXPECT_THROW_WITH(tensor({{1, 2, 3}, {4, 5}}), ShapeError, "ragged");
  EXPECT_THROW_WITH(tensor({{1, 2}, 3}), ShapeError, "ragged");
  EXPECT_THROW_WITH(tensor({1, {2, 3}}), ShapeError, "ragged");
  EXPECT_THROW_WITH(tensor({{{1}, {2}}, {{3}, {4, 5}}}), ShapeError, "ragged");
}

TEST(TensorConstruction, ZerosOnesFull) {
  EXPECT_TRUE(tensor_near(zeros({2, 2}), {2, 2}, {0, 0, 0, 0}, 0, 0));
  EXPECT_TRUE(tensor_near(ones({3}, DType::f64), {3}, {1, 1, 1}, 0, 0));
  EXPECT_EQ(ones({3}, DType::f64).dtype(), DType::f64);
  EXPECT_TRUE(tensor_near(full({1, 2}, -3.5), {1, 2}, {-3.5, -3.5}, 0, 0));
  EXPECT_TRUE(tensor_near(full({}, 4.0), {}, {4}, 0, 0));
  EXPECT_TRUE(tensor_near(scalar(0.25, DType::f64), {}, {0.25}, 0, 0));
  EXPECT_EQ(zeros({2, 0}).numel(), 0);
}

TEST(TensorConstruction, Arange) {
  EXPECT_TRUE(tensor_near(arange(5.0), {5}, {0, 1, 2, 3, 4}, 0, 0));
  EXPECT_TRUE(tensor_near(arange(1.0, 2.0, 0.25, DType::f64), {4}, {1, 1.25, 1.5, 1.75}, 0, 0));
  EXPECT_TRUE(tensor_near(arange(3.0, 0.0, -1.0), {3}, {3, 2, 1}, 0, 0));
  EXPECT_EQ(arange(2.0, 2.0).numel(), 0);
  EXPECT_EQ(arange(0.0, 1.0, 0.3).numel(), 4);  // 0, 0.3, 0.6, 0.9: stop is exclusive
  EXPECT_THROW_WITH(arange(0.0, 1.0, 0.0), ValueError, "arange", "step");
}

TEST(TensorConstruction, RanksZeroToFour) {
  const std::vector<Shape> shapes = {{}, {5}, {2, 3}, {2, 3, 4}, {2, 3, 4, 5}};
  for (const Shape& s : shapes) {
    const Tensor t = zeros(s, DType::f64);
    EXPECT_EQ(t.dim(), s.size());
    EXPECT_EQ(t.numel(), numel(s));
  }
  const Tensor r4 = reshape(arange(120.0, DType::f64), {2, 3, 4, 5});
  EXPECT_EQ(r4.at({1, 2, 3, 4}), 119.0);
  EXPECT_EQ(r4.at({1, 0, 2, 1}), 60.0 + 10.0 + 1.0);
  EXPECT_EQ(r4.size(-1), 5);
  EXPECT_EQ(r4.size(1), 3);
  EXPECT_EQ(zeros({}).numel(), 1);
}

TEST(TensorConstruction, HugeOrNegativeShapesAreAShapeErrorNotACrash) {
  const std::int64_t big = std::int64_t{1} << 30;
  EXPECT_THROW_WITH(zeros({big, big}), ShapeError, "[1073741824,1073741824]");
  EXPECT_THROW_WITH(ones({big, big, big}), ShapeError, "too large");
  EXPECT_THROW_WITH(Tensor::empty({std::int64_t{1} << 62, 4}), ShapeError, "too large");
  EXPECT_THROW_WITH(zeros({2, -3}), ShapeError, "[2,-3]");
}

}  // namespace
}  // namespace dagrad::testing

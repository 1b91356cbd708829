// Tensors with a 0-sized axis behave as in PyTorch: shapes follow the usual rules, reductions of
// nothing give the sum's identity (0) or NaN for a mean, losses over an empty batch are NaN,
// gradients are empty or zero, and nothing reads or writes out of bounds (ASan).
#include <gtest/gtest.h>

#include <cmath>

#include <dagrad/core/export.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/ops/ops.hpp>

#include "core/support/expect.hpp"
#include "reliability/support/scratch.hpp"

namespace dagrad::testing {
namespace {

Tensor leaf(const Shape& shape) {
  return zeros(shape, DType::f64).set_requires_grad();
}

TEST(EmptyTensors, MatmulWithAnEmptyBatch) {
  const Tensor a = leaf({0, 3});
  const Tensor b = ones({3, 4}, DType::f64).set_requires_grad();
  const Tensor out = matmul(a, b);
  EXPECT_EQ(out.shape(), (Shape{0, 4}));
  sum(out).backward();
  EXPECT_EQ(a.grad().shape(), (Shape{0, 3}));
  EXPECT_TRUE(tensor_near(b.grad(), {3, 4}, std::vector<double>(12, 0.0), 0, 0));
}

TEST(EmptyTensors, SumOfNothingIsZeroAndMeanIsNan) {
  const Tensor a = leaf({0});
  const Tensor s = sum(a);
  EXPECT_EQ(s.shape(), Shape{});
  EXPECT_EQ(s.item(), 0.0);
  s.backward();
  EXPECT_EQ(a.grad().shape(), Shape{0});
  EXPECT_TRUE(std::isnan(mean(leaf({0})).item()));
  // Reducing the non-empty axis keeps the empty one.
  EXPECT_EQ(sum(leaf({0, 3}), {1}).shape(), Shape{0});
  EXPECT_TRUE(tensor_near(sum(leaf({2, 0}), {1}), {2}, {0.0, 0.0}, 0, 0));
}

TEST(EmptyTensors, SoftmaxOfEmptyRowsIsEmpty) {
  const Tensor a = leaf({2, 0});
  for (std::int64_t axis : {0, 1}) {
    EXPECT_EQ(softmax(a, axis).shape(), (Shape{2, 0}));
    EXPECT_EQ(log_softmax(a, axis).shape(), (Shape{2, 0}));
  }
  sum(softmax(a)).backward();
  EXPECT_EQ(a.grad().shape(), (Shape{2, 0}));
}

TEST(EmptyTensors, LossesOverAnEmptyBatchAreNan) {
  const Tensor logits = leaf({0, 3});
  const Tensor labels = zeros({0}, DType::i64);
  const Tensor ce = cross_entropy(logits, labels);
  EXPECT_TRUE(std::isnan(ce.item()));
  ce.backward();
  EXPECT_EQ(logits.grad().shape(), (Shape{0, 3}));
  EXPECT_TRUE(std::isnan(nll_loss(log_softmax(leaf({0, 3}), 1), labels).item()));
  EXPECT_TRUE(std::isnan(mse_loss(leaf({0, 3}), zeros({0, 3}, DType::f64)).item()));
}

TEST(EmptyTensors, NoClassesToPickFromIsAValueError) {
  // Labels exist but there are no classes: every label is out of range (PyTorch: IndexError).
  EXPECT_THROW(cross_entropy(leaf({2, 0}), zeros({2}, DType::i64)), ValueError);
}

TEST(EmptyTensors, MaxOverAnEmptyAxisIsAShapeErrorButOverAFullOneIsEmpty) {
  EXPECT_THROW(max(leaf({0, 3}), 0), ShapeError);
  EXPECT_THROW(argmax(leaf({0, 3}), 0), ShapeError);
  EXPECT_EQ(max(leaf({2, 0}), 0).shape(), Shape{0});
}

TEST(EmptyTensors, ElementwiseBroadcastReshapeTranspose) {
  const Tensor e = leaf({0, 3});
  EXPECT_EQ((e + ones({3}, DType::f64)).shape(), (Shape{0, 3}));
  EXPECT_EQ((leaf({0}) * ones({1}, DType::f64)).shape(), Shape{0});
  EXPECT_EQ(exp(e).shape(), (Shape{0, 3}));
  EXPECT_EQ(relu(e).shape(), (Shape{0, 3}));
  EXPECT_EQ(reshape(e, {3, 0}).shape(), (Shape{3, 0}));
  EXPECT_EQ(transpose(e, 0, 1).shape(), (Shape{3, 0}));
  EXPECT_EQ(one_hot(zeros({0}, DType::i64), 4).shape(), (Shape{0, 4}));
  EXPECT_THROW(e + ones({2}, DType::f64), ShapeError);
}

TEST(EmptyTensors, ALayerAndAnOptimiserStepOnAnEmptyBatch) {
  nn::LinearOptions options;
  options.dtype = DType::f64;
  nn::Linear layer(3, 2, 1, options);
  nn::Adam opt(layer.parameters());
  const std::vector<double> before = layer.weight().to_vector();
  const Tensor out = layer(zeros({0, 3}, DType::f64));
  EXPECT_EQ(out.shape(), (Shape{0, 2}));
  sum(out).backward();
  opt.step();  // zero gradients: Adam's first step moves nothing
  EXPECT_EQ(layer.weight().to_vector(), before);
  EXPECT_NE(to_dot(out).find("[0,2]"), std::string::npos);
}

}  // namespace
}  // namespace dagrad::testing

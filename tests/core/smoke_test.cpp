#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

using namespace dagrad;

TEST(Smoke, DenseLayerBackward) {
  Tensor x = tensor({{1.0, 2.0}});
  Tensor W = tensor({{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}).set_requires_grad();
  Tensor b = tensor({{0.0, 0.0, 0.0}}).set_requires_grad();
  Tensor o = sigmoid(matmul(x, W) + b);
  sum(o).backward();
  ASSERT_TRUE(W.grad().defined());
  EXPECT_EQ(W.grad().shape(), (Shape{2, 3}));
  EXPECT_EQ(b.grad().shape(), (Shape{1, 3}));
}

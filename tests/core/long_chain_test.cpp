// A chain of 1,000,000 ops back-propagates and is destroyed without overflowing the stack
// (backward orders the graph without recursion; Note [Iterative graph release] in node.cpp).
#include <cmath>
#include <memory>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

namespace dagrad::testing {
namespace {

constexpr int kLength = 1'000'000;
constexpr double kFactor = 1.0000001;

TEST(LongChain, BackPropagatesAMillionOps) {
  Tensor x = scalar(1.0, DType::f64).set_requires_grad();
  const Tensor c = scalar(kFactor, DType::f64);
  std::weak_ptr<Node> first_node;
  {
    Tensor y = x;
    for (int i = 0; i < kLength; ++i) {
      y = y * c;
      if (i == 0) first_node = y.grad_fn();
    }
    EXPECT_EQ(graph_size(y), static_cast<std::size_t>(kLength));
    y.backward();
    // y = x·c^n, dy/dx = c^n = e^(n·log1p(1e-7)) ≈ 1.105
    const double want = std::exp(kLength * std::log1p(kFactor - 1.0));
    EXPECT_NEAR(y.item(), want, want * 1e-8);
    EXPECT_NEAR(x.grad().item(), want, want * 1e-8);
  }  // y, the only owner of the chain, goes here
  EXPECT_TRUE(first_node.expired());
}

TEST(LongChain, IsDestroyedWithoutBackward) {
  Tensor x = scalar(0.0, DType::f64).set_requires_grad();
  const Tensor c = scalar(1.0, DType::f64);
  std::weak_ptr<Node> first_node;
  {
    Tensor y = x;
    for (int i = 0; i < kLength; ++i) {
      y = y + c;
      if (i == 0) first_node = y.grad_fn();
    }
    EXPECT_EQ(y.item(), static_cast<double>(kLength));
    EXPECT_FALSE(first_node.expired());
  }
  EXPECT_TRUE(first_node.expired());
}

}  // namespace
}  // namespace dagrad::testing

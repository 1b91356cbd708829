// The graph is owned by the tensors that need it: it lives while its root does and is freed
// when the last tensor of it is gone. No global tape.
#include <memory>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

namespace dagrad::testing {
namespace {

TEST(GraphLifetime, FreedWhenTheRootIsDropped) {
  Tensor x = ones({2, 3}, DType::f64).set_requires_grad();
  std::weak_ptr<TensorImpl> hidden;
  std::weak_ptr<Node> node;
  {
    Tensor root;
    {
      const Tensor h = sigmoid(x * 2.0);  // an intermediate only the graph holds after this scope
      hidden = h.impl_ptr();
      node = h.grad_fn();
      root = sum(h * h);
    }
    EXPECT_FALSE(hidden.expired());  // kept alive by root's graph
    EXPECT_FALSE(node.expired());
    EXPECT_EQ(graph_size(root), 4u);  // x·2, sigmoid, h·h, sum
  }
  EXPECT_TRUE(hidden.expired());
  EXPECT_TRUE(node.expired());
  EXPECT_EQ(x.impl_ptr().use_count(), 1);  // only our handle: no tape holds the leaf
}

TEST(GraphLifetime, FreedAfterBackwardAndDrop) {
  Tensor x = ones({3}, DType::f64).set_requires_grad();
  std::weak_ptr<Node> node;
  {
    const Tensor loss = sum(tanh(x) * x);
    node = loss.grad_fn();
    loss.backward();
  }
  EXPECT_TRUE(node.expired());
  EXPECT_TRUE(x.grad().defined());  // the gradient outlives the graph
}

TEST(GraphLifetime, ASharedSubgraphLivesWhileAnyUserDoes) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  std::weak_ptr<Node> shared;
  Tensor a, b;
  {
    const Tensor h = x * 3.0;
    shared = h.grad_fn();
    a = h + 1.0;
    b = h * h;
  }
  a = Tensor();
  EXPECT_FALSE(shared.expired());
  b = Tensor();
  EXPECT_TRUE(shared.expired());
}

TEST(GraphLifetime, GraphSizeCountsNodes) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  EXPECT_EQ(graph_size(x), 0u);
  const Tensor h = x * 2.0;
  EXPECT_EQ(graph_size(h), 1u);
  EXPECT_EQ(graph_size(h + h), 2u);  // h's node counted once
}

}  // namespace
}  // namespace dagrad::testing

// grad(): gradients returned rather than accumulated; create_graph gives higher derivatives.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

GradOptions creating_graph() {
  GradOptions o;
  o.create_graph = true;
  return o;
}

TEST(FunctionalGrad, ReturnsTheGradientWithoutAccumulating) {
  Tensor x = tensor({1.0, -2.0}, DType::f64).set_requires_grad();
  const Tensor g = grad(sum(x * x * x), x);
  EXPECT_TRUE(tensor_near(g, {2}, {3.0, 12.0}, 0, 0));
  EXPECT_FALSE(x.grad().defined());
}

TEST(FunctionalGrad, SeveralInputs) {
  Tensor x = tensor({2.0}, DType::f64).set_requires_grad();
  Tensor y = tensor({-3.0}, DType::f64).set_requires_grad();
  const Tensor out = sum(x * y + x);
  const std::vector<Tensor> ins = {x, y};
  const std::vector<Tensor> outs = {out};
  const std::vector<Tensor> g = grad(outs, ins);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_TRUE(tensor_near(g[0], {1}, {-2.0}, 0, 0));  // y + 1
  EXPECT_TRUE(tensor_near(g[1], {1}, {2.0}, 0, 0));   // x
}

TEST(FunctionalGrad, UnusedInput) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  Tensor z = ones({2}, DType::f64).set_requires_grad();
  EXPECT_THROW_WITH(grad(sum(x * 2.0), z), GraphError, "grad", "not used");
  GradOptions o;
  o.allow_unused = true;
  EXPECT_FALSE(grad(sum(x * 2.0), z, o).defined());
}

TEST(FunctionalGrad, WithAnUpstreamGradient) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  GradOptions o;
  o.grad_outputs = {tensor({10.0, -1.0}, DType::f64)};
  EXPECT_TRUE(tensor_near(grad(x * x, x, o), {2}, {20.0, -4.0}, 0, 0));
}

TEST(FunctionalGrad, SecondDerivativeOfACube) {
  Tensor x = tensor({1.5, -2.0, 0.5}, DType::f64).set_requires_grad();
  const Tensor g = grad(sum(x * x * x), x, creating_graph());
  EXPECT_TRUE(tensor_near(g, {3}, {6.75, 12.0, 0.75}, 1e-15, 0));  // 3x²
  ASSERT_TRUE(g.requires_grad());
  const Tensor h = grad(sum(g), x);
  EXPECT_TRUE(tensor_near(h, {3}, {9.0, -12.0, 3.0}, 1e-15, 0));  // 6x
}

TEST(FunctionalGrad, SecondDerivativeOfSigmoid) {
  const std::vector<double> xs = {-2.0, -0.3, 0.0, 0.7, 3.0};
  Tensor x = Tensor::from_values({5}, xs, DType::f64).set_requires_grad();
  const Tensor g = grad(sum(sigmoid(x)), x, creating_graph());
  const Tensor h = grad(sum(g), x);
  std::vector<double> first, second;
  for (double v : xs) {
    const double s = 1 / (1 + std::exp(-v));
    first.push_back(s * (1 - s));
    second.push_back(s * (1 - s) * (1 - 2 * s));  // σ'' = σ(1−σ)(1−2σ)
  }
  EXPECT_TRUE(tensor_near(g, {5}, first, 1e-14, 1e-16));
  EXPECT_TRUE(tensor_near(h, {5}, second, 1e-13, 1e-16));
}

TEST(FunctionalGrad, BackwardWithCreateGraphGivesADifferentiableGradient) {
  Tensor x = tensor({2.0}, DType::f64).set_requires_grad();
  // retain_graph too: the recorded gradient refers to the first graph (PyTorch's default when
  // create_graph is set).
  sum(x * x * x).backward(Tensor(), /*retain_graph=*/true, /*create_graph=*/true);
  const Tensor g = x.grad();  // 3x² = 12, itself recorded
  EXPECT_TRUE(tensor_near(g, {1}, {12.0}, 0, 0));
  ASSERT_TRUE(g.requires_grad());
  EXPECT_TRUE(tensor_near(grad(sum(g), x), {1}, {12.0}, 0, 0));  // 6x
  // x.grad() refers to a graph that refers to x (as in PyTorch): resetting it breaks the cycle,
  // which the leak checker of the sanitizer build verifies.
  x.zero_grad(/*set_to_none=*/true);
}

TEST(FunctionalGrad, InputsMustRequireGrad) {
  const Tensor c = ones({2}, DType::f64);
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  EXPECT_THROW_WITH(grad(sum(x * c), c), GraphError, "grad", "requires grad");
}

}  // namespace
}  // namespace dagrad::testing

// The user-defined ops of examples/custom_op, checked the way the built-ins are: forward values
// against an independent formula, and the full Jacobian from backward against central finite
// differences in float64.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include <dagrad/core/gradcheck.hpp>
#include <dagrad/dagrad.hpp>

#include "../../examples/custom_op/user_ops.hpp"

using namespace dagrad;

namespace {

using UnaryFn = std::function<Tensor(const Tensor&)>;

// Values away from nothing in particular (both ops are smooth everywhere), including large |x|.
Tensor sample_input(const Shape& shape, std::uint64_t seed) {
  Tensor x = randn(shape, seed, DType::f64);
  double* p = x.data<double>();
  for (std::int64_t i = 0; i < x.numel(); ++i) p[i] *= 3;
  if (x.numel() >= 2) {
    p[0] = 25.0;
    p[1] = -25.0;
  }
  return x;
}

// Max relative error between backward's Jacobian (one one-hot upstream gradient per output
// element) and central differences, floored at 1e-3 so tiny entries compare absolutely.
double jacobian_error(const UnaryFn& f, const Tensor& x0) {
  const double eps = 1e-6;
  const std::int64_t n = x0.numel();
  Tensor x = x0.clone().set_requires_grad();
  const Tensor y = f(x);
  const std::int64_t m = y.numel();
  double worst = 0;
  for (std::int64_t o = 0; o < m; ++o) {
    Tensor onehot = zeros(y.shape(), DType::f64);
    onehot.data<double>()[o] = 1;
    x.zero_grad();
    y.backward(onehot, /*retain_graph=*/true);
    const Tensor g = x.grad();
    for (std::int64_t i = 0; i < n; ++i) {
      Tensor xp = x0.clone(), xm = x0.clone();
      xp.data<double>()[i] += eps;
      xm.data<double>()[i] -= eps;
      const double numeric = (f(xp).data<double>()[o] - f(xm).data<double>()[o]) / (2 * eps);
      const double analytic = g.data<double>()[i];
      const double scale = std::max({std::abs(analytic), std::abs(numeric), 1e-3});
      worst = std::max(worst, std::abs(analytic - numeric) / scale);
    }
  }
  return worst;
}

double softplus_ref(double x) {
  return std::log1p(std::exp(-std::abs(x))) + std::max(x, 0.0);
}
double sigmoid_ref(double x) {
  return 1 / (1 + std::exp(-x));
}

}  // namespace

TEST(CustomOp, ForwardMatchesTheFormula) {
  const Tensor x = sample_input({3, 4}, 1);
  const std::vector<double> xs = x.to_vector();
  const std::vector<double> sp = user_ops::softplus(x).to_vector();
  const std::vector<double> sw = user_ops::swish(x).to_vector();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    EXPECT_NEAR(sp[i], std::log(1 + std::exp(xs[i])), 1e-12 * std::max(1.0, sp[i]));
    EXPECT_NEAR(sw[i], xs[i] * sigmoid_ref(xs[i]), 1e-12 * std::max(1.0, std::abs(sw[i])));
  }
}

TEST(CustomOp, GradientsMatchCentralDifferencesInFloat64) {
  for (const Shape& shape : {Shape{}, Shape{5}, Shape{3, 4}, Shape{2, 3, 2}}) {
    SCOPED_TRACE(to_string(shape));
    const Tensor x = sample_input(shape, 7);
    EXPECT_LE(jacobian_error(user_ops::softplus, x), 1e-6);
    EXPECT_LE(jacobian_error(user_ops::swish, x), 1e-6);
  }
}

TEST(CustomOp, GradientsMatchInsideAComposite) {
  // Through a matmul and a weighted (not plain) sum, so a wrong VJP cannot cancel out.
  const Tensor w = randn({4, 3}, 11, DType::f64), r = randn({2, 3}, 12, DType::f64);
  const UnaryFn f = [&](const Tensor& x) {
    return sum(mul(user_ops::swish(matmul(user_ops::softplus(x), w)), r));
  };
  EXPECT_LE(jacobian_error(f, sample_input({2, 4}, 13)), 1e-6);
}

TEST(CustomOp, LibraryGradcheckAgrees) {
  const std::vector<Tensor> in{sample_input({3, 4}, 21)};
  for (const OpDef* op : {&user_ops::softplus_op(), &user_ops::swish_op()}) {
    const GradcheckResult r = gradcheck_op(*op, in, {});
    EXPECT_TRUE(r.ok) << op->name << ": " << r.report;
  }
}

TEST(CustomOp, SecondDerivativeThroughTheRecordedDerivative) {
  // The VJPs are written with dagrad ops, so d²softplus/dx² = σ(1 − σ) comes out of create_graph.
  Tensor x = tensor({-2.0, 0.5, 3.0}, DType::f64).set_requires_grad();
  const Tensor g = grad(sum(user_ops::softplus(x)), x, {.create_graph = true});
  const std::vector<double> h = grad(sum(g), x).to_vector();
  const std::vector<double> xs = x.to_vector();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double s = sigmoid_ref(xs[i]);
    EXPECT_NEAR(h[i], s * (1 - s), 1e-12);
  }
}

TEST(CustomOp, StableForHugeInputsInFloat32) {
  const std::vector<double> sp = user_ops::softplus(tensor({1e4, -1e4, 88.0, 100.0})).to_vector();
  EXPECT_EQ(sp[0], 1e4);
  EXPECT_EQ(sp[1], 0.0);
  EXPECT_NEAR(sp[2], 88.0, 1e-5);
  EXPECT_TRUE(std::isfinite(sp[3]));
  const std::vector<double> sw = user_ops::swish(tensor({1e4, -1e4})).to_vector();
  EXPECT_EQ(sw[0], 1e4);
  EXPECT_EQ(sw[1], 0.0);
  EXPECT_NEAR(softplus_ref(0.0), std::log(2.0), 1e-15);
}

TEST(CustomOp, RegisteredOnceAndFoundByName) {
  const OpDef& a = user_ops::softplus_op();
  EXPECT_EQ(&registry().get("softplus"), &a);
  EXPECT_EQ(&user_ops::softplus_op(), &a);
  EXPECT_THROW(register_op(user_ops::softplus_def()), GraphError);  // the name is taken
  user_ops::swish_op();  // registration happens on first use; then the name resolves
  EXPECT_EQ(apply("swish", {tensor({0.0})}).item(), 0.0);
}

TEST(CustomOp, RejectsIntegerInputs) {
  EXPECT_THROW(user_ops::softplus(arange(3.0, DType::i64)), DTypeError);
}

// Second and third derivatives through create_graph, against closed forms.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/core/autograd.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/ops.hpp>

namespace dagrad {
namespace {

// d^k/dx^k of sum(f(x)) at the points, for k = 1, 2, 3, each a tensor of x's shape.
std::vector<std::vector<double>> derivatives(Tensor (*f)(const Tensor&),
                                             const std::vector<double>& points) {
  Tensor x = Tensor::from_values({static_cast<std::int64_t>(points.size())}, points, DType::f64);
  x.set_requires_grad();
  std::vector<std::vector<double>> out;
  Tensor y = sum(f(x));
  for (int k = 0; k < 3; ++k) {
    y = grad(y, x, {.create_graph = true});
    out.push_back(y.to_vector());
    y = sum(y);
  }
  return out;
}

struct Closed {
  const char* name;
  Tensor (*f)(const Tensor&);
  double (*d1)(double), (*d2)(double), (*d3)(double);
  std::vector<double> points;
};

double sig(double x) {
  return 1 / (1 + std::exp(-x));
}

TEST(HigherOrder, MatchClosedForms) {
  const std::vector<Closed> cases = {
      {"sigmoid",
       [](const Tensor& x) { return sigmoid(x); },
       [](double x) { return sig(x) * (1 - sig(x)); },
       [](double x) { return sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)); },
       [](double x) {
         const double s = sig(x);
         return s * (1 - s) * (1 - 6 * s + 6 * s * s);
       },
       {-2.0, -0.3, 0.4, 1.7}},
      {"tanh",
       [](const Tensor& x) { return tanh(x); },
       [](double x) { return 1 - std::tanh(x) * std::tanh(x); },
       [](double x) {
         const double t = std::tanh(x);
         return -2 * t * (1 - t * t);
       },
       [](double x) {
         const double t = std::tanh(x);
         return (1 - t * t) * (6 * t * t - 2);
       },
       {-1.5, -0.2, 0.3, 2.0}},
      {"exp",
       [](const Tensor& x) { return exp(x); },
       [](double x) { return std::exp(x); },
       [](double x) { return std::exp(x); },
       [](double x) { return std::exp(x); },
       {-1.0, 0.0, 0.5, 2.0}},
      {"log",
       [](const Tensor& x) { return log(x); },
       [](double x) { return 1 / x; },
       [](double x) { return -1 / (x * x); },
       [](double x) { return 2 / (x * x * x); },
       {0.3, 1.0, 2.5, 7.0}},
  };
  for (const Closed& c : cases) {
    SCOPED_TRACE(c.name);
    const auto d = derivatives(c.f, c.points);
    for (std::size_t i = 0; i < c.points.size(); ++i) {
      const double x = c.points[i];
      EXPECT_NEAR(d[0][i], c.d1(x), 1e-12 * std::max(1.0, std::abs(c.d1(x)))) << "x=" << x;
      EXPECT_NEAR(d[1][i], c.d2(x), 1e-12 * std::max(1.0, std::abs(c.d2(x)))) << "x=" << x;
      EXPECT_NEAR(d[2][i], c.d3(x), 1e-11 * std::max(1.0, std::abs(c.d3(x)))) << "x=" << x;
    }
  }
}

TEST(HigherOrder, GradDoesNotTouchDotGrad) {
  Tensor x = tensor({1.0, 2.0}, DType::f64).set_requires_grad();
  const Tensor g = grad(sum(mul(x, x)), x);
  EXPECT_FALSE(x.grad().defined());
  EXPECT_EQ(g.to_vector(), (std::vector<double>{2.0, 4.0}));
}

TEST(HigherOrder, UnusedInputIsAnErrorUnlessAllowed) {
  Tensor x = tensor({1.0}, DType::f64).set_requires_grad();
  Tensor z = tensor({1.0}, DType::f64).set_requires_grad();
  EXPECT_THROW(grad(sum(x), z), GraphError);
  EXPECT_FALSE(grad(sum(x), z, {.allow_unused = true}).defined());
}

// Minimises ‖∇ₓ f(x)‖² for f(x) = Σ tanh(w ⊙ x) over w with nn::SGD: the gradient the optimiser
// consumes, ∂/∂w ‖∇ₓ f‖², flows through a gradient taken with create_graph, so this only works
// if backward is differentiable.
TEST(HigherOrder, GradientPenaltyFallsUnderAnOptimiser) {
  Tensor w = tensor({1.5, -2.0, 0.7}, DType::f64).set_requires_grad();
  const Tensor x = tensor({0.3, -0.1, 0.8}, DType::f64).set_requires_grad();
  auto penalty = [&] {
    const Tensor gx = grad(sum(tanh(mul(w, x))), x, {.create_graph = true});
    return sum(mul(gx, gx));
  };
  const double before = penalty().item();

  // The first gradient the optimiser will see is the penalty's own derivative in w.
  penalty().backward();
  ASSERT_TRUE(w.grad().defined());
  const std::vector<double> gw = w.grad().to_vector();
  for (int i = 0; i < 3; ++i) {
    double* pw = w.data<double>();
    const double saved = pw[i];
    pw[i] = saved + 1e-6;
    const double plus = penalty().item();
    pw[i] = saved - 1e-6;
    const double minus = penalty().item();
    pw[i] = saved;
    EXPECT_NEAR(gw[i], (plus - minus) / 2e-6, 1e-6) << "d penalty / d w[" << i << "]";
  }

  nn::SGD opt({w}, {.lr = 0.1});
  for (int step = 0; step < 50; ++step) {
    opt.zero_grad();
    penalty().backward();
    opt.step();
  }
  EXPECT_EQ(opt.steps(), 50);
  const double after = penalty().item();
  // 50 steps at lr 0.1 take the penalty from 5.5 to about 4e-9: at least a million-fold drop.
  EXPECT_LT(after, 1e-6 * before) << "before " << before << ", after " << after;
}

}  // namespace
}  // namespace dagrad

namespace dagrad {
namespace {

// Softmax's second derivative (through create_graph) against finite differences of the explicit
// Jacobian: d/dx_k of (Jᵀw)_j, where J is softmax_jacobian at x ± eps.
TEST(HigherOrder, SoftmaxSecondDerivativeMatchesFiniteDifferencesOfItsJacobian) {
  const Tensor x0 = tensor({{0.3, -1.2, 0.8, 0.1}}, DType::f64);
  const Tensor w = tensor({{0.7, -0.4, 1.3, 0.2}}, DType::f64);
  auto jt_w = [&](const Tensor& x) {       // explicit Jᵀw as a vector
    const Tensor j = softmax_jacobian(x);  // [1, 4, 4], j[0, i, k] = dS_i/dx_k
    std::vector<double> out(4, 0.0);
    for (int k = 0; k < 4; ++k)
      for (int i = 0; i < 4; ++i) out[k] += j.at({0, i, k}) * w.at({0, i});
    return out;
  };
  Tensor x = x0.clone().set_requires_grad();
  const Tensor g = grad(sum(mul(softmax(x), w)), x, {.create_graph = true});  // Jᵀw, recorded
  for (int j = 0; j < 4; ++j) {
    Tensor seed = zeros({1, 4}, DType::f64);
    seed.set({0, j}, 1.0);
    const Tensor second = grad(sum(mul(g, seed)), x, {.retain_graph = true});
    for (int k = 0; k < 4; ++k) {
      Tensor xp = x0.clone(), xm = x0.clone();
      xp.set({0, k}, x0.at({0, k}) + 1e-6);
      xm.set({0, k}, x0.at({0, k}) - 1e-6);
      const double numeric = (jt_w(xp)[j] - jt_w(xm)[j]) / 2e-6;
      EXPECT_NEAR(second.at({0, k}), numeric, 1e-8) << "d(Jᵀw)_" << j << "/dx_" << k;
    }
  }
}

}  // namespace
}  // namespace dagrad

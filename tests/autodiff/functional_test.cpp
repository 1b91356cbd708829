// jacobian, hessian, vjp, jvp and hvp against finite differences and closed forms (float64).
#include <gtest/gtest.h>

#include <dagrad/core/functional.hpp>
#include <dagrad/core/random.hpp>
#include <dagrad/ops/ops.hpp>

namespace dagrad {
namespace {

// A small MLP loss as a function of its flattened first-layer weights.
Tensor mlp_loss(const Tensor& w1_flat) {
  static const Tensor x = randn({4, 3}, 11, DType::f64);
  static const Tensor w2 = randn({5, 2}, 12, DType::f64);
  static const Tensor labels = Tensor::from_values({4}, std::vector<std::int64_t>{0, 1, 1, 0});
  const Tensor h = tanh(matmul(x, reshape(w1_flat, {3, 5})));
  return cross_entropy(matmul(h, w2), labels);
}

std::vector<double> numeric_gradient(const UnaryFn& f, Tensor x, double eps = 1e-5) {
  std::vector<double> g;
  double* p = x.data<double>();
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    const double saved = p[i];
    p[i] = saved + eps;
    const double plus = f(x).item();
    p[i] = saved - eps;
    const double minus = f(x).item();
    p[i] = saved;
    g.push_back((plus - minus) / (2 * eps));
  }
  return g;
}

TEST(Functional, HessianOfMlpLossMatchesFiniteDifferencesOfItsGradient) {
  const Tensor w = randn({15}, 7, DType::f64);
  const Tensor h = hessian(mlp_loss, w);
  ASSERT_EQ(h.shape(), (Shape{15, 15}));
  // Row i of H is the finite difference of the gradient along e_i.
  const double eps = 1e-5;
  for (std::int64_t i = 0; i < 15; ++i) {
    Tensor wp = w.clone(), wm = w.clone();
    wp.data<double>()[i] += eps;
    wm.data<double>()[i] -= eps;
    const auto gp = vjp(mlp_loss, wp, scalar(1.0, DType::f64)).second.to_vector();
    const auto gm = vjp(mlp_loss, wm, scalar(1.0, DType::f64)).second.to_vector();
    for (std::int64_t j = 0; j < 15; ++j)
      EXPECT_NEAR(h.at({j, i}), (gp[j] - gm[j]) / (2 * eps), 1e-7) << i << "," << j;
  }
  // And it is symmetric.
  for (std::int64_t i = 0; i < 15; ++i)
    for (std::int64_t j = 0; j < i; ++j) EXPECT_NEAR(h.at({i, j}), h.at({j, i}), 1e-12);
}

TEST(Functional, HvpEqualsHessianTimesVector) {
  const Tensor w = randn({15}, 8, DType::f64);
  const Tensor v = randn({15}, 9, DType::f64);
  const Tensor h = hessian(mlp_loss, w);
  const auto hv = hvp(mlp_loss, w, v).to_vector();
  for (std::int64_t i = 0; i < 15; ++i) {
    double expect = 0;
    for (std::int64_t j = 0; j < 15; ++j) expect += h.at({i, j}) * v.at({j});
    EXPECT_NEAR(hv[i], expect, 1e-12);
  }
}

TEST(Functional, JacobianJvpVjpAgree) {
  const UnaryFn f = [](const Tensor& x) {
    return softmax(matmul(reshape(x, {2, 3}), transpose(reshape(x, {2, 3}))));
  };
  const Tensor x = randn({6}, 3, DType::f64);
  const Tensor j = jacobian(f, x);
  ASSERT_EQ(j.shape(), (Shape{2, 2, 6}));
  const Tensor v_in = randn({6}, 4, DType::f64), v_out = randn({2, 2}, 5, DType::f64);
  const auto jv = jvp(f, x, v_in).second.to_vector();
  const auto vj = vjp(f, x, v_out).second.to_vector();
  const auto jd = j.to_vector();
  for (int o = 0; o < 4; ++o) {
    double e = 0;
    for (int i = 0; i < 6; ++i) e += jd[o * 6 + i] * v_in.to_vector()[i];
    EXPECT_NEAR(jv[o], e, 1e-12);
  }
  for (int i = 0; i < 6; ++i) {
    double e = 0;
    for (int o = 0; o < 4; ++o) e += jd[o * 6 + i] * v_out.to_vector()[o];
    EXPECT_NEAR(vj[i], e, 1e-12);
  }
  // Central differences for the Jacobian itself.
  for (int i = 0; i < 6; ++i) {
    Tensor xp = x.clone(), xm = x.clone();
    xp.data<double>()[i] += 1e-6;
    xm.data<double>()[i] -= 1e-6;
    const auto yp = f(xp).to_vector(), ym = f(xm).to_vector();
    for (int o = 0; o < 4; ++o) EXPECT_NEAR(jd[o * 6 + i], (yp[o] - ym[o]) / 2e-6, 1e-8);
  }
}

TEST(Functional, ShapeErrorsNameTheHelper) {
  const Tensor x = randn({3}, 1, DType::f64);
  EXPECT_THROW(hvp([](const Tensor& z) { return z; }, x, x), GraphError);
  EXPECT_THROW(jvp([](const Tensor& z) { return z; }, x, randn({4}, 1, DType::f64)), ShapeError);
  EXPECT_THROW(hessian([](const Tensor& z) { return mul(z, z); }, x), GraphError);
}

TEST(Functional, NumericGradientHelperAgreesWithVjp) {
  const Tensor w = randn({15}, 10, DType::f64);
  const auto analytic = vjp(mlp_loss, w, scalar(1.0, DType::f64)).second.to_vector();
  const auto numeric = numeric_gradient(mlp_loss, w.clone());
  for (std::size_t i = 0; i < analytic.size(); ++i) EXPECT_NEAR(analytic[i], numeric[i], 1e-8);
}

}  // namespace
}  // namespace dagrad

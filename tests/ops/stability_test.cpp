// Numerical stability: sigmoid and tanh finite for |x| up to 1e4 (values and gradients);
// softmax, log_softmax and cross_entropy exact and free of nan/inf for logits up to ±1e4.
// Expected values are computed here from the formulas, in the form that cannot overflow.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

const std::vector<double> kLarge = {-1e4, -1e3, -100, -30, -1, 0, 1, 30, 100, 1e3, 1e4};

bool all_finite(const Tensor& t) {
  for (double v : t.to_vector())
    if (!std::isfinite(v)) return false;
  return true;
}

double stable_sigmoid(double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}

class Stability : public ::testing::TestWithParam<DType> {};

TEST_P(Stability, SigmoidIsFiniteAndExactForLargeInputs) {
  const DType d = GetParam();
  Tensor x = Tensor::from_values({11}, kLarge, d).set_requires_grad();
  const Tensor s = sigmoid(x);
  std::vector<double> want, want_grad;
  for (double v : kLarge) {
    want.push_back(stable_sigmoid(v));
    // σ' = e^−|x| / (1 + e^−|x|)²: symmetric, exact for large |x|
    const double e = std::exp(-std::abs(v));
    want_grad.push_back(e / ((1 + e) * (1 + e)));
  }
  // float32: values below 1.2e-38 are subnormal, with a spacing of 1.4e-45.
  const double rtol = d == DType::f64 ? 1e-14 : 1e-6, atol = d == DType::f64 ? 1e-300 : 1e-44;
  EXPECT_TRUE(all_finite(s));
  EXPECT_TRUE(tensor_near(s, {11}, want, rtol, atol));
  sum(s).backward();
  EXPECT_TRUE(all_finite(x.grad()));
  // σ(1 − σ) from the output loses relative accuracy where σ rounds to 1; absolutely it is exact.
  EXPECT_TRUE(tensor_near(x.grad(), {11}, want_grad, 0, d == DType::f64 ? 1e-15 : 1e-7));
}

TEST_P(Stability, TanhIsFiniteAndExactForLargeInputs) {
  const DType d = GetParam();
  Tensor x = Tensor::from_values({11}, kLarge, d).set_requires_grad();
  const Tensor t = tanh(x);
  std::vector<double> want, want_grad;
  for (double v : kLarge) {
    want.push_back(std::tanh(v));
    const double c = std::cosh(std::min(std::abs(v), 700.0));
    want_grad.push_back(std::abs(v) > 700 ? 0.0 : 1 / (c * c));  // 1 − tanh² = sech²
  }
  EXPECT_TRUE(all_finite(t));
  EXPECT_TRUE(tensor_near(t, {11}, want, d == DType::f64 ? 1e-14 : 1e-6, 1e-300));
  sum(t).backward();
  EXPECT_TRUE(all_finite(x.grad()));
  EXPECT_TRUE(tensor_near(x.grad(), {11}, want_grad, 0, d == DType::f64 ? 1e-15 : 1e-6));
}

// Rows: a dominant logit, a tie at −1e4, two near-equal logits at 1e4, mixed signs.
const Shape kLogitShape = {4, 3};
const std::vector<double> kLogits = {1e4,  0,    -1e4,     //
                                     -1e4, -1e4, -1e4,     //
                                     0,    1e4,  1e4 - 1,  //
                                     1e4,  -1e4, 1e4};
// log softmax of each row, written out: lse = max + log Σ e^(x − max).
const double kL1 = std::log1p(std::exp(-1.0));  // log(1 + e^−1)
const std::vector<double> kLogSoftmax = {0,
                                         -1e4,
                                         -2e4,  //
                                         -std::log(3),
                                         -std::log(3),
                                         -std::log(3),  //
                                         -1e4 - kL1,
                                         -kL1,
                                         -1 - kL1,  //
                                         -std::log(2),
                                         -2e4 - std::log(2),
                                         -std::log(2)};

TEST_P(Stability, LogSoftmaxIsExactForLogitsUpTo1e4) {
  const DType d = GetParam();
  Tensor x = Tensor::from_values(kLogitShape, kLogits, d).set_requires_grad();
  const Tensor out = log_softmax(x);
  EXPECT_TRUE(all_finite(out));
  EXPECT_TRUE(tensor_near(out, kLogitShape, kLogSoftmax, d == DType::f64 ? 1e-15 : 1e-6,
                          d == DType::f64 ? 1e-12 : 1e-3));
  sum(out * Tensor::from_values(kLogitShape,
                                std::vector<double>{1, -2, 3, 1, 2, -1, 0.5, 1, 2, 3, -1, 1}, d))
      .backward();
  EXPECT_TRUE(all_finite(x.grad()));
}

TEST_P(Stability, SoftmaxIsExactForLogitsUpTo1e4) {
  const DType d = GetParam();
  Tensor x = Tensor::from_values(kLogitShape, kLogits, d).set_requires_grad();
  const Tensor out = softmax(x);
  std::vector<double> want;
  for (double l : kLogSoftmax) want.push_back(std::exp(l));
  EXPECT_TRUE(all_finite(out));
  EXPECT_TRUE(tensor_near(out, kLogitShape, want, d == DType::f64 ? 1e-15 : 1e-6, 1e-300));
  sum(out * Tensor::from_values(kLogitShape,
                                std::vector<double>{1, -2, 3, 1, 2, -1, 0.5, 1, 2, 3, -1, 1}, d))
      .backward();
  EXPECT_TRUE(all_finite(x.grad()));
  // Each row's gradient sums to Σ(g⊙S)(1 − ΣS) = 0, up to rounding of ΣS.
  EXPECT_TRUE(
      tensor_near(sum(x.grad(), {1}), {4}, {0, 0, 0, 0}, 0, d == DType::f64 ? 1e-12 : 1e-6));
}

TEST_P(Stability, CrossEntropyIsExactForLogitsUpTo1e4) {
  const DType d = GetParam();
  Tensor x = Tensor::from_values(kLogitShape, kLogits, d).set_requires_grad();
  const std::vector<std::int64_t> y = {2, 1, 2, 1};
  const Tensor labels = Tensor::from_values({4}, y);
  const Tensor loss = cross_entropy(x, labels);
  double want = 0;
  for (int b = 0; b < 4; ++b) want -= kLogSoftmax[b * 3 + y[b]] / 4;  // (2e4 + log 3 + ...) / 4
  EXPECT_TRUE(std::isfinite(loss.item()));
  EXPECT_NEAR(loss.item(), want, std::abs(want) * (d == DType::f64 ? 1e-15 : 1e-6));
  loss.backward();
  // d/dx = (softmax − onehot) / B
  std::vector<double> want_grad;
  for (int b = 0; b < 4; ++b)
    for (int c = 0; c < 3; ++c)
      want_grad.push_back((std::exp(kLogSoftmax[b * 3 + c]) - (c == y[b] ? 1.0 : 0.0)) / 4);
  EXPECT_TRUE(all_finite(x.grad()));
  EXPECT_TRUE(
      tensor_near(x.grad(), kLogitShape, want_grad, d == DType::f64 ? 1e-14 : 1e-6, 1e-300));
}

INSTANTIATE_TEST_SUITE_P(Dtypes, Stability, ::testing::Values(DType::f64, DType::f32),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

}  // namespace
}  // namespace dagrad::testing

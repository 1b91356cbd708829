// NaN and ±Inf pass through every stage without a crash: they propagate through ops and
// gradients as IEEE arithmetic says (as in PyTorch), a training step on them leaves NaN
// parameters rather than failing, and the places that must refuse them (learning rates) do so
// with a ValueError.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <dagrad/core/error.hpp>
#include <dagrad/core/export.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/ops.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool any_nan(const Tensor& t) {
  for (double v : t.to_vector())
    if (std::isnan(v)) return true;
  return false;
}

TEST(NonFinite, ATrainingStepOnNonFiniteInputs) {
  nn::Linear layer(3, 2, 1);
  nn::Adam opt(layer.parameters());
  const Tensor x = tensor({{kNan, 1.0, 2.0}, {kInf, -kInf, 0.0}});
  const Tensor y = Tensor::from_values({2}, std::vector<std::int64_t>{0, 1});
  const Tensor loss = cross_entropy(layer(x), y);
  EXPECT_TRUE(std::isnan(loss.item()));
  loss.backward();
  EXPECT_TRUE(any_nan(layer.weight().grad()));
  opt.step();
  EXPECT_TRUE(any_nan(layer.weight()));
  EXPECT_NE(to_dot(loss, {.values = true, .grads = true}).find("nan"), std::string::npos);
}

TEST(NonFinite, SoftmaxFamilyWithInfiniteLogits) {
  const Tensor x = tensor({{kInf, 1.0, 0.0}, {-kInf, 1.0, 0.0}, {-kInf, -kInf, -kInf}}, DType::f64)
                       .set_requires_grad();
  const Tensor s = softmax(x);
  // A −inf logit is a zero probability; the row of a +inf logit or of only −inf is undefined.
  EXPECT_EQ(s.at({1, 0}), 0.0);
  EXPECT_NEAR(s.at({1, 1}) + s.at({1, 2}), 1.0, 1e-15);
  EXPECT_TRUE(std::isnan(s.at({2, 0})));
  sum(s * tensor({1.0, 2.0, 3.0}, DType::f64)).backward();
  EXPECT_EQ(x.grad().shape(), (Shape{3, 3}));
  EXPECT_EQ(log_softmax(x).shape(), (Shape{3, 3}));
  const Tensor labels = Tensor::from_values({3}, std::vector<std::int64_t>{1, 1, 0});
  EXPECT_TRUE(std::isnan(cross_entropy(x, labels).item()));
}

TEST(NonFinite, ReductionsAndProducts) {
  const Tensor x = tensor({kInf, -kInf, 1.0}, DType::f64);
  EXPECT_TRUE(std::isnan(sum(x).item()));  // inf − inf
  EXPECT_TRUE(std::isnan(mean(x).item()));
  EXPECT_EQ(max(tensor({1.0, kInf, 2.0}, DType::f64), 0).item(), kInf);
  const Tensor m = matmul(tensor({{kNan, 0.0}}, DType::f64), tensor({{1.0}, {1.0}}, DType::f64));
  EXPECT_TRUE(std::isnan(m.item()));
  EXPECT_EQ(max(tensor({kNan, 1.0}), 0).shape(), Shape{});  // whatever it picks, no crash
  EXPECT_EQ(argmax(tensor({{kNan, 1.0}}), 1).shape(), Shape{1});
}

TEST(NonFinite, GradientsOfNonFinitePointsPropagate) {
  const Tensor x = tensor({0.0, -1.0, kInf}, DType::f64).set_requires_grad();
  sum(sqrt(x) + log(x)).backward();  // d/dx at 0: inf; at −1: nan; at inf: 0
  const std::vector<double> g = x.grad().to_vector();
  EXPECT_TRUE(std::isinf(g[0]));
  EXPECT_TRUE(std::isnan(g[1]));
  EXPECT_EQ(g[2], 0.0);
}

TEST(NonFinite, LearningRatesMustBeFinite) {
  nn::Linear layer(2, 2, 1);
  EXPECT_THROW(nn::SGD(layer.parameters(), {.lr = kNan}), ValueError);
  EXPECT_THROW(nn::Adam(layer.parameters(), {.lr = kInf}), ValueError);
  nn::SGD sgd(layer.parameters());
  EXPECT_THROW(sgd.set_lr(-kInf), ValueError);
}

}  // namespace
}  // namespace dagrad::testing

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/lr_schedule.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/ops.hpp>

using namespace dagrad;
using namespace dagrad::nn;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::Pointwise;

namespace {

// Parameters and gradients in float64 so hand-computed values compare to ~1e-15.
Tensor param(std::vector<double> v) {
  return Tensor::from_values({static_cast<std::int64_t>(v.size())}, v, DType::f64)
      .set_requires_grad();
}
void set_grad(Tensor& p, std::vector<double> g) {
  p.set_grad(Tensor::from_values({static_cast<std::int64_t>(g.size())}, g, DType::f64));
}
MATCHER_P(Near, tol, "") {
  return std::abs(std::get<0>(arg) - std::get<1>(arg)) <= tol;
}

const std::vector<double> g1 = {0.5, 0.25}, g2 = {1.0, -1.0};

}  // namespace

TEST(SGD, PlainStep) {
  Tensor p = param({1, -2});
  SGD opt({p}, {.lr = 0.1});
  set_grad(p, g1);
  opt.step();
  // p − lr·g = [1 − 0.05, −2 − 0.025]
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), std::vector<double>{0.95, -2.025}));
  EXPECT_EQ(opt.steps(), 1);
}

TEST(SGD, WeightDecay) {
  Tensor p = param({1, -2});
  SGD opt({p}, {.lr = 0.1, .weight_decay = 0.1});
  set_grad(p, g1);
  opt.step();
  // g + 0.1·p = [0.6, 0.05]; p − 0.1·that = [0.94, −2.005]
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), std::vector<double>{0.94, -2.005}));
}

TEST(SGD, MomentumOverTwoSteps) {
  Tensor p = param({1, -2});
  SGD opt({p}, {.lr = 0.1, .momentum = 0.9});
  set_grad(p, g1);
  opt.step();  // buf = g1 = [0.5, 0.25]; p = [0.95, −2.025]
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), std::vector<double>{0.95, -2.025}));
  set_grad(p, g2);
  opt.step();  // buf = 0.9·[0.5, 0.25] + [1, −1] = [1.45, −0.775]; p −= 0.1·buf
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), std::vector<double>{0.805, -1.9475}));
}

TEST(SGD, Dampening) {
  Tensor p = param({1, -2});
  SGD opt({p}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.5});
  set_grad(p, g1);
  opt.step();  // the first step takes g undamped, as PyTorch: p = [0.95, −2.025]
  set_grad(p, g2);
  opt.step();  // buf = 0.9·[0.5, 0.25] + 0.5·[1, −1] = [0.95, −0.275]
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), std::vector<double>{0.855, -1.9975}));
}

TEST(SGD, Nesterov) {
  Tensor p = param({1, -2});
  SGD opt({p}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
  set_grad(p, g1);
  opt.step();  // buf = g1; d = g1 + 0.9·buf = [0.95, 0.475]; p = [0.905, −2.0475]
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), std::vector<double>{0.905, -2.0475}));
  set_grad(p, g2);
  opt.step();  // buf = [1.45, −0.775]; d = g2 + 0.9·buf = [2.305, −1.6975]
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), std::vector<double>{0.6745, -1.87775}));
}

TEST(SGD, Float32ParametersAndSkippedGradients) {
  Tensor a = zeros({2}).set_requires_grad();
  Tensor b = ones({2}).set_requires_grad();
  SGD opt({a, b}, {.lr = 0.5});
  a.set_grad(tensor({2.0, -4.0}));
  opt.step();  // b has no gradient: untouched
  EXPECT_EQ(a.to_vector(), (std::vector<double>{-1, 2}));
  EXPECT_EQ(b.to_vector(), (std::vector<double>{1, 1}));
  opt.zero_grad();
  EXPECT_FALSE(a.grad().defined());
}

TEST(SGD, RejectsBadArguments) {
  Tensor p = param({1});
  EXPECT_THROW(SGD({p}, {.lr = -1}), ValueError);
  EXPECT_THROW(SGD({p}, {.lr = NAN}), ValueError);
  EXPECT_THROW(SGD({p}, {.momentum = -0.1}), ValueError);
  EXPECT_THROW(SGD({p}, {.nesterov = true}), ValueError);
  EXPECT_THROW(SGD({p, p}), ValueError);
  EXPECT_THROW(SGD({zeros({1})}), ValueError);  // does not require grad
  EXPECT_THROW(SGD({p * 2.0}), ValueError);     // not a leaf
  EXPECT_THROW(SGD({Tensor()}), ValueError);
  SGD opt({p});
  EXPECT_THROW(opt.set_lr(-0.5), ValueError);
  opt.set_lr(0.25);
  EXPECT_EQ(opt.lr(), 0.25);
}

TEST(Adam, TwoStepsByHand) {
  Tensor p = param({1, -2});
  const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  Adam opt({p}, {.lr = lr});
  set_grad(p, g1);
  opt.step();
  // Step 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
  const std::vector<double> p1 = {1 - lr * 0.5 / (0.5 + eps), -2 - lr * 0.25 / (0.25 + eps)};
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), p1));
  set_grad(p, g2);
  opt.step();
  // Step 2, written out per element.
  std::vector<double> p2 = p1;
  for (int i = 0; i < 2; ++i) {
    const double m = b1 * (1 - b1) * g1[i] + (1 - b1) * g2[i];
    const double v = b2 * (1 - b2) * g1[i] * g1[i] + (1 - b2) * g2[i] * g2[i];
    const double m_hat = m / (1 - b1 * b1), v_hat = v / (1 - b2 * b2);
    p2[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
  }
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-14), p2));
  // m = [0.145, −0.0775], m̂ = [0.7632, −0.4079], v̂ = [0.6252, 0.5315]: p2 ≈ [0.8035, −2.0440]
  EXPECT_THAT(p.to_vector(), ElementsAre(DoubleNear(0.80348, 1e-4), DoubleNear(-2.04405, 1e-4)));
}

TEST(Adam, WeightDecayIsAddedToTheGradient) {
  Tensor p = param({1, -2}), q = param({1, -2});
  Adam with_wd({p}, {.lr = 0.1, .weight_decay = 0.5});
  Adam plain({q}, {.lr = 0.1});
  set_grad(p, g1);
  set_grad(q, {g1[0] + 0.5 * 1, g1[1] + 0.5 * -2});  // g + wd·p, by hand
  with_wd.step();
  plain.step();
  EXPECT_THAT(p.to_vector(), Pointwise(Near(1e-15), q.to_vector()));
}

TEST(Adam, CountsStepsPerParameter) {
  // A parameter that skips a step has its own bias correction, as in PyTorch.
  Tensor a = param({1}), b = param({1});
  Adam opt({a, b}, {.lr = 0.1});
  set_grad(a, {1});
  opt.step();
  set_grad(b, {1});
  opt.step();  // b's first update: exactly lr·1/(1 + ε)
  EXPECT_NEAR(b.to_vector()[0], 1 - 0.1 / (1 + 1e-8), 1e-15);
}

TEST(Adam, RejectsBadArguments) {
  Tensor p = param({1});
  EXPECT_THROW(Adam({p}, {.beta1 = 1.0}), ValueError);
  EXPECT_THROW(Adam({p}, {.beta2 = -0.1}), ValueError);
  EXPECT_THROW(Adam({p}, {.eps = 0}), ValueError);
  EXPECT_THROW(Adam({p}, {.weight_decay = -1}), ValueError);
}

TEST(Optimizers, MinimiseAQuadraticThroughTheEngine) {
  // loss = Σ (X·W + b − T)² for a Linear layer: both optimisers drive it to ~0.
  const Tensor x = tensor({{1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}});
  const Tensor target = tensor({{1.0, -1.0, 0.5}, {2.0, 0.0, -0.5}, {3.0, -1.0, 0.0}});
  for (const char* kind : {"sgd", "adam"}) {
    SCOPED_TRACE(kind);
    Linear fc(2, 3, 1);
    std::unique_ptr<Optimizer> opt;
    if (std::string(kind) == "sgd")
      opt = std::make_unique<SGD>(fc.parameters(), SgdOptions{.lr = 0.05, .momentum = 0.9});
    else
      opt = std::make_unique<Adam>(fc.parameters(), AdamOptions{.lr = 0.05});
    double loss = 0;
    for (int step = 0; step < 1000; ++step) {
      opt->zero_grad();
      Tensor l = sum(square(fc(x) - target));
      l.backward();
      opt->step();
      loss = l.item();
    }
    EXPECT_LT(loss, 1e-4);
  }
}

TEST(LrSchedule, Cosine) {
  EXPECT_DOUBLE_EQ(cosine_lr(1.0, 0.0, 0, 10), 1.0);
  EXPECT_DOUBLE_EQ(cosine_lr(1.0, 0.0, 5, 10), 0.5);
  EXPECT_NEAR(cosine_lr(1.0, 0.0, 10, 10), 0.0, 1e-16);
  EXPECT_NEAR(cosine_lr(1.0, 0.0, 50, 10), 0.0, 1e-16);  // clamped after the end
  EXPECT_DOUBLE_EQ(cosine_lr(1.0, 0.2, 5, 10), 0.6);
  EXPECT_NEAR(cosine_lr(1.0, 0.0, 2, 8), (1 + std::cos(M_PI / 4)) / 2, 1e-15);
  EXPECT_DOUBLE_EQ(cosine_lr(0.3, 0.0, 4, 0), 0.3);
}

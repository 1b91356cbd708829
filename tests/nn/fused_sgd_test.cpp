// SGD fused into backward (Note [Fused updates]): the same parameters as backward() + step(),
// whichever path backward takes (an op adding its derivative straight into the parameter, or the
// gradient applied at the end of the pass), and ordinary gradients wherever fusing would change
// what the user sees.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include <dagrad/core/anomaly.hpp>
#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/random.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/sequential.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/ops.hpp>

using namespace dagrad;
using namespace dagrad::nn;

namespace {

double max_abs_diff(const Tensor& a, const Tensor& b) {
  const auto va = a.to_vector(), vb = b.to_vector();
  EXPECT_EQ(va.size(), vb.size());
  double m = 0;
  for (std::size_t i = 0; i < va.size(); ++i) m = std::max(m, std::abs(va[i] - vb[i]));
  return m;
}

std::shared_ptr<Sequential> mlp(std::uint64_t seed) {
  Generator gen(seed);
  auto m = std::make_shared<Sequential>();
  LinearOptions o;
  o.dtype = DType::f64;
  m->emplace<Linear>(5, 4, gen, o);
  m->emplace<ReLU>();
  m->emplace<Linear>(4, 3, gen, o);
  return m;
}

Tensor labels(std::int64_t batch) {
  std::vector<std::int64_t> y;
  for (std::int64_t i = 0; i < batch; ++i) y.push_back(i % 3);
  return Tensor::from_values({batch}, y);
}

class FusedMlp : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(FusedMlp, SameParametersAsBackwardThenStep) {
  const std::int64_t batch = GetParam();  // 1: the weight gradients are outer products
  auto plain = mlp(7), fused = mlp(7);
  SgdOptions o;
  o.lr = 0.1;
  SGD sgd_plain(plain->parameters(), o), sgd_fused(fused->parameters(), o);
  sgd_fused.fuse_into_backward();
  EXPECT_TRUE(sgd_fused.fused());
  for (int step = 0; step < 4; ++step) {
    const Tensor x = randn({batch, 5}, 100 + step, DType::f64);
    const Tensor y = labels(batch);
    cross_entropy((*plain)(x), y).backward();
    sgd_plain.step();
    sgd_plain.zero_grad();
    cross_entropy((*fused)(x), y).backward();
    for (const Tensor& p : fused->parameters()) EXPECT_FALSE(p.grad().defined());
    sgd_fused.step();  // nothing left to do: counts the step
    sgd_fused.zero_grad();
  }
  EXPECT_EQ(sgd_fused.steps(), 4);
  const auto pp = plain->parameters(), pf = fused->parameters();
  ASSERT_EQ(pp.size(), pf.size());
  for (std::size_t i = 0; i < pp.size(); ++i) {
    EXPECT_GT(max_abs_diff(pp[i], mlp(7)->parameters()[i]), 1e-3) << "parameter " << i;
    EXPECT_LT(max_abs_diff(pp[i], pf[i]), 1e-13) << "parameter " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Batches, FusedMlp, ::testing::Values(1, 3));

// p − lr·∇p for each of `params`, from an ordinary grad() of the loss `f` builds.
template <class F>
std::vector<Tensor> expected_after_step(F f, const std::vector<Tensor>& params, double lr) {
  const std::vector<Tensor> g = grad(std::vector<Tensor>{f()}, params);
  std::vector<Tensor> out;
  NoGradGuard no_grad;
  for (std::size_t i = 0; i < params.size(); ++i) out.push_back(sub(params[i], mul(g[i], lr)));
  return out;
}

struct Transposes {
  bool ta, tb;
  std::int64_t k;  // inner dimension; 1 takes the outer-product path
};

class FusedMatmul : public ::testing::TestWithParam<Transposes> {};

// matmul's accumulate_vjp for every combination of stored transposes, for A alone, B alone, and
// both (then one goes directly, after the other's derivative has read it).
TEST_P(FusedMatmul, OperandsUpdatedDirectly) {
  const auto [ta, tb, k] = GetParam();
  const std::int64_t m = 2, n = 4;
  for (int which : {0, 1, 2}) {
    Tensor a = randn(ta ? Shape{k, m} : Shape{m, k}, 1, DType::f64);
    Tensor b = randn(tb ? Shape{n, k} : Shape{k, n}, 2, DType::f64);
    std::vector<Tensor> params;
    if (which != 1) params.push_back(a.set_requires_grad());
    if (which != 0) params.push_back(b.set_requires_grad());
    const Tensor w = randn({m, n}, 3, DType::f64);  // random weights: no symmetric shortcut
    auto loss = [&] { return sum(mul(tanh(matmul(a, b, ta, tb)), w)); };
    const std::vector<Tensor> want = expected_after_step(loss, params, 0.5);

    SgdOptions o;
    o.lr = 0.5;
    SGD sgd(params, o);
    sgd.fuse_into_backward();
    loss().backward();
    for (std::size_t i = 0; i < params.size(); ++i) {
      EXPECT_FALSE(params[i].grad().defined());
      EXPECT_LT(max_abs_diff(params[i], want[i]), 1e-14) << "case " << which << " param " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(All, FusedMatmul,
                         ::testing::Values(Transposes{false, false, 3}, Transposes{true, false, 3},
                                           Transposes{false, true, 3}, Transposes{true, true, 3},
                                           Transposes{false, false, 1}, Transposes{true, true, 1}));

// A copy of matmul that counts its accumulate_vjp calls: the direct path is taken exactly where
// it may be.
TEST(FusedSgd, DirectPathTakenOnlyForASingleUse) {
  static int calls = 0;
  OpDef probe = registry().get("matmul");
  probe.name = "matmul_counting_accumulations";
  auto inner = probe.accumulate_vjp;
  probe.accumulate_vjp = [inner](const VjpArgs& a, std::size_t i, Tensor& into, double s) {
    ++calls;
    return inner(a, i, into, s);
  };
  const OpDef* found = registry().find(probe.name);
  const OpDef& op = found ? *found : register_op(std::move(probe));
  Tensor W = randn({3, 2}, 15, DType::f64).set_requires_grad();
  const Tensor x = randn({4, 3}, 16, DType::f64);
  SGD sgd({W});
  sgd.fuse_into_backward();
  calls = 0;
  sum(tanh(apply(op, {x, W}))).backward();
  EXPECT_EQ(calls, 1);
  calls = 0;
  sum(tanh(apply(op, {x, W})) + apply(op, {x, W})).backward();  // two uses: the whole gradient
  EXPECT_EQ(calls, 0);
  calls = 0;
  {
    AnomalyGuard anomaly;  // every gradient is checked for NaN, so it must exist
    sum(tanh(apply(op, {x, W}))).backward();
  }
  EXPECT_EQ(calls, 0);
}

// Fallbacks: the update waits for the whole gradient, and other derivatives see the old values.
TEST(FusedSgd, SharedWeightAndWeightDecayAndBatchedMatmul) {
  const Tensor x = randn({2, 3}, 6, DType::f64), r = randn({2, 3}, 7, DType::f64);
  auto loss = [&](const Tensor& W, const Tensor& V) {
    const Tensor h = tanh(matmul(x, W));  // W feeds two matmuls
    return sum(mul(matmul(h, W), r)) + sum(matmul(reshape(x, {2, 1, 3}), V));  // V: batched
  };
  for (double weight_decay : {0.0, 0.1}) {
    Tensor W = randn({3, 3}, 4, DType::f64).set_requires_grad();
    Tensor V = randn({2, 3, 3}, 5, DType::f64).set_requires_grad();
    Tensor W0 = W.clone().set_requires_grad(), V0 = V.clone().set_requires_grad();
    SgdOptions o;
    o.lr = 0.25;
    o.weight_decay = weight_decay;
    SGD reference({W0, V0}, o), sgd({W, V}, o);
    loss(W0, V0).backward();
    reference.step();
    sgd.fuse_into_backward();
    loss(W, V).backward();
    EXPECT_GT(max_abs_diff(W, randn({3, 3}, 4, DType::f64)), 1e-3);
    EXPECT_LT(max_abs_diff(W, W0), 1e-14) << "weight decay " << weight_decay;
    EXPECT_LT(max_abs_diff(V, V0), 1e-14) << "weight decay " << weight_decay;
  }
}

// A tensor sharing the parameter's storage (detach) is read by a derivative that runs after the
// parameter's consumer: a direct update would corrupt it, so the update waits.
TEST(FusedSgd, StorageSeenThroughADetachedTensorWaits) {
  Tensor W = randn({3, 3}, 8, DType::f64).set_requires_grad();
  Tensor x = randn({2, 3}, 9, DType::f64).set_requires_grad();
  const Tensor view = W.detach(), r = randn({2, 3}, 10, DType::f64);
  auto loss = [&] { return sum(mul(matmul(matmul(x, view), W), r)); };
  const Tensor want_x_grad = grad(loss(), x);
  const std::vector<Tensor> want = expected_after_step(loss, {W}, 0.5);
  SgdOptions o;
  o.lr = 0.5;
  SGD sgd({W}, o);
  sgd.fuse_into_backward();
  loss().backward();
  EXPECT_LT(max_abs_diff(x.grad(), want_x_grad), 1e-14);
  EXPECT_LT(max_abs_diff(W, want[0]), 1e-14);
}

TEST(FusedSgd, HooksSeeTheGradientAndTheUpdateStillApplies) {
  Tensor W = randn({3, 2}, 11, DType::f64).set_requires_grad();
  const Tensor x = randn({4, 3}, 12, DType::f64);
  auto loss = [&] { return sum(square(matmul(x, W))); };
  const std::vector<Tensor> want = expected_after_step(loss, {W}, 0.125);
  SgdOptions o;
  o.lr = 0.125;
  SGD sgd({W}, o);
  sgd.fuse_into_backward();
  Tensor seen;
  W.register_hook([&](const Tensor& g) {
    seen = g;
    return Tensor();
  });
  loss().backward();
  EXPECT_TRUE(seen.defined());
  EXPECT_LT(max_abs_diff(W, want[0]), 1e-14);
}

TEST(FusedSgd, GradAndCreateGraphGiveOrdinaryGradients) {
  Tensor W = randn({3, 2}, 13, DType::f64).set_requires_grad();
  const Tensor x = randn({4, 3}, 14, DType::f64);
  const Tensor W_before = W.clone();
  SGD sgd({W});
  sgd.fuse_into_backward();
  const Tensor g = grad(sum(matmul(x, W)), W);  // functional: W untouched
  EXPECT_EQ(max_abs_diff(W, W_before), 0);
  sum(matmul(x, W)).backward(Tensor(), false, /*create_graph=*/true);
  EXPECT_EQ(max_abs_diff(W, W_before), 0);
  ASSERT_TRUE(W.grad().defined());
  EXPECT_LT(max_abs_diff(W.grad(), g), 1e-14);
  sgd.step();  // the stored gradient is applied by step(), as without fusing
  EXPECT_GT(max_abs_diff(W, W_before), 1e-6);
  W.zero_grad();
}

TEST(FusedSgd, LearningRateChangesApplyAndUnfusingRestoresGrad) {
  Tensor w = Tensor::from_values({2}, std::vector<double>{1, 2}, DType::f64).set_requires_grad();
  auto sgd = std::make_unique<SGD>(std::vector<Tensor>{w});
  sgd->fuse_into_backward();
  sgd->set_lr(0.5);
  sum(mul(w, 2.0)).backward();  // ∇ = 2 each: w − 0.5·2
  EXPECT_DOUBLE_EQ(w.at({0}), 0.0);
  EXPECT_DOUBLE_EQ(w.at({1}), 1.0);
  sgd->fuse_into_backward(false);
  EXPECT_EQ(w.fused_update(), nullptr);
  sum(mul(w, 2.0)).backward();
  ASSERT_TRUE(w.grad().defined());
  w.zero_grad();
  sgd->fuse_into_backward();
  sgd.reset();  // a dead optimiser updates nothing
  EXPECT_EQ(w.fused_update(), nullptr);
}

// The caller's root gradient is a parameter: it is read as it was before any update.
TEST(FusedSgd, RootGradientThatIsAParameter) {
  Tensor W1 = randn({3, 3}, 17, DType::f64).set_requires_grad();
  Tensor W2 = randn({3, 3}, 18, DType::f64).set_requires_grad();
  const Tensor W1_before = W1.clone(), W2_before = W2.clone();
  SgdOptions o;
  o.lr = 0.5;
  SGD sgd({W1, W2}, o);
  sgd.fuse_into_backward();
  add(W1, W2).backward(W1);  // end-of-pass path: ∇W1 = ∇W2 = W1 as it was
  EXPECT_LT(max_abs_diff(W1, mul(W1_before, 0.5)), 1e-15);
  EXPECT_LT(max_abs_diff(W2, sub(W2_before, mul(W1_before, 0.5))), 1e-15);

  Tensor W = randn({3, 3}, 19, DType::f64).set_requires_grad();
  const Tensor x = randn({3, 3}, 20, DType::f64), W_before = W.clone();
  SGD sgd_w({W}, o);
  sgd_w.fuse_into_backward();
  matmul(x, W).backward(W);  // direct path: ∇W = xᵀ·W as it was
  EXPECT_LT(max_abs_diff(W, sub(W_before, mul(matmul(x, W_before, true, false), 0.5))), 1e-14);
}

TEST(FusedSgd, FrozenParametersAreSkipped) {
  Tensor a = zeros({2}, DType::f64).set_requires_grad();
  Tensor b = zeros({2}, DType::f64).set_requires_grad();
  SGD sgd({a, b});
  b.set_requires_grad(false);
  sgd.fuse_into_backward();
  EXPECT_NE(a.fused_update(), nullptr);
  EXPECT_EQ(b.fused_update(), nullptr);
}

TEST(FusedSgd, Refusals) {
  Tensor w = zeros({2}, DType::f64).set_requires_grad();
  SgdOptions o;
  o.momentum = 0.9;
  SGD with_momentum({w}, o);
  EXPECT_THROW(with_momentum.fuse_into_backward(), ValueError);
  const Tensor not_leaf = mul(w, 2.0);
  EXPECT_THROW(Tensor(not_leaf).set_fused_update(std::make_shared<FusedUpdate>()), GraphError);
  Tensor no_grad = zeros({2});
  EXPECT_THROW(no_grad.set_fused_update(std::make_shared<FusedUpdate>()), GraphError);
}

}  // namespace

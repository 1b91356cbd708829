// The gradient checker itself: it passes a right derivative, and it fails (naming the input, the
// element and both values) a wrong one, including the wrong softmax derivative that a plain sum
// would never notice.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/gradcheck.hpp"

namespace dagrad::testing {
namespace {

// x³ with a derivative that is wrong by a factor: 2x² instead of 3x².
const OpDef& wrong_cube() {
  static const OpDef& op = [] {
    OpDef d;
    d.name = "test_wrong_cube";
    d.infer = [](std::span<const Tensor> in, const Attrs&) {
      return TensorMeta{in[0].shape(), in[0].dtype()};
    };
    d.forward = [](std::span<const Tensor> in, const Attrs&) { return in[0] * in[0] * in[0]; };
    d.vjp = [](const VjpArgs& a) {
      return std::vector<Tensor>{a.grad_output * (2.0 * a.inputs[0] * a.inputs[0])};
    };
    return std::cref(registry().add(std::move(d)));  // unchecked: it is wrong on purpose
  }();
  return op;
}

// softmax with a derivative that forgets the Jacobian and returns zero: right for sum(softmax),
// which is constant, and wrong for everything else.
const OpDef& softmax_zero_derivative() {
  static const OpDef& op = [] {
    OpDef d;
    d.name = "test_softmax_zero_derivative";
    d.infer = [](std::span<const Tensor> in, const Attrs&) {
      return TensorMeta{in[0].shape(), in[0].dtype()};
    };
    d.forward = [](std::span<const Tensor> in, const Attrs&) { return softmax(in[0]); };
    d.vjp = [](const VjpArgs& a) {
      return std::vector<Tensor>{zeros(a.inputs[0].shape(), a.inputs[0].dtype())};
    };
    return std::cref(registry().add(std::move(d)));  // unchecked: it is wrong on purpose
  }();
  return op;
}

const std::vector<Tensor> kInput = {tensor({{0.3, -1.2, 0.8}, {1.1, 0.4, -0.5}}, DType::f64)};

TEST(Gradcheck, PassesARightDerivative) {
  const auto r = testing::gradcheck(
      [](const std::vector<Tensor>& in) { return in[0] * in[0] * in[0]; }, kInput);
  EXPECT_TRUE(r.ok) << r.report;
  EXPECT_LE(r.max_error, 1e-6);
}

TEST(Gradcheck, FailsAWrongDerivativeAndSaysWhere) {
  const auto r = testing::gradcheck(
      [](const std::vector<Tensor>& in) { return apply(wrong_cube(), {in[0]}); }, kInput);
  EXPECT_FALSE(r.ok);
  EXPECT_GT(r.max_error, 0.3);  // 2x² vs 3x²: off by a third
  EXPECT_TRUE(
      message_contains(r.report, {"input 0 [2,3]", "element (0,1)", "analytic", "numeric"}));
}

TEST(Gradcheck, FailsAGradientThatNeverArrives) {
  // detach() cuts the graph: backward delivers nothing, the numeric Jacobian is the identity.
  const auto r = testing::gradcheck(
      [](const std::vector<Tensor>& in) { return in[0].detach() * 1.0; }, kInput);
  EXPECT_FALSE(r.ok);
}

TEST(Gradcheck, FullJacobianCatchesTheSoftmaxTrap) {
  const Fn f = [](const std::vector<Tensor>& in) {
    return apply(softmax_zero_derivative(), {in[0]});
  };
  // A plain sum cannot tell: sum(softmax) ≡ 1, its true gradient is zero.
  const auto plain =
      testing::gradcheck([&](const std::vector<Tensor>& in) { return sum(f(in)); }, kInput);
  EXPECT_TRUE(plain.ok) << plain.report;
  // Random weights can, and so can the full Jacobian.
  EXPECT_FALSE(testing::gradcheck(reduce_with_random_weights(f), kInput).ok);
  EXPECT_FALSE(testing::gradcheck(f, kInput).ok);
}

TEST(Gradcheck, TinyEntriesAreComparedAbsolutely) {
  // d/dx (1e-12·x) = 1e-12: the numeric value is rounding noise, but within the absolute floor.
  const auto r =
      testing::gradcheck([](const std::vector<Tensor>& in) { return in[0] * 1e-12; }, kInput);
  EXPECT_TRUE(r.ok) << r.report;
}

TEST(Gradcheck, RandomWeightsAreFixedAndNotConstant) {
  const Tensor w = random_weights({3, 4});
  EXPECT_TRUE(tensor_near(w, random_weights({3, 4}), 0, 0));
  const std::vector<double> v = w.to_vector();
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_GE(std::abs(v[i]), 0.5);
    EXPECT_LT(std::abs(v[i]), 1.5);
    EXPECT_EQ(v[i] < 0, i % 2 == 1);
  }
}

TEST(Gradcheck, RejectsFloat32) {
  EXPECT_THROW(
      testing::gradcheck([](const std::vector<Tensor>& in) { return in[0] * 2.0; }, {zeros({2})}),
      DTypeError);
}

}  // namespace
}  // namespace dagrad::testing

// relu: max(0, x), derivative 0 at the kink (PyTorch); step: relu's derivative, gradients stop.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call_relu(const std::vector<Tensor>& in) {
  return relu(in[0]);
}
Tensor call_step(const std::vector<Tensor>& in) {
  return step(in[0]);
}

TEST(Relu, MatchesTorchReferences) {
  check_reference_cases("relu", {{"3x4", call_relu}, {"scalar", call_relu}});
}

TEST(Step, MatchesTorchReferences) {
  check_reference_cases("step", {{"3x4", call_step}});
}

// Inputs at least 0.2 from the kink, so central differences never straddle it.
INSTANTIATE_TEST_SUITE_P(Relu, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {away_from_zero()}, call_relu},
                             {"3x4", {{3, 4}}, {away_from_zero()}, call_relu},
                             {"3x1", {{3, 1}}, {away_from_zero()}, call_relu},
                             {"1x4", {{1, 4}}, {away_from_zero()}, call_relu},
                         }),
                         op_case_name);

INSTANTIATE_TEST_SUITE_P(Step, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"3x4", {{3, 4}}, {away_from_zero()}, call_step},
                         }),
                         op_case_name);

TEST(Relu, DerivativeAtTheKinkIsZero) {
  Tensor x = tensor({-1.0, 0.0, 2.0}, DType::f64).set_requires_grad();
  sum(relu(x)).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {3}, {0.0, 0.0, 1.0}, 0, 0));
}

// Backward multiplies by the mask in one pass unless the derivative is recorded (create_graph);
// both give g · step(x) exactly, at the kink, on negatives and for infinite gradients.
TEST(Relu, OnePassAndRecordedDerivativesAgree) {
  for (DType dt : {DType::f64, DType::f32}) {
    const Tensor x = tensor({-2.0, -0.0, 0.0, 1e-30, 3.0, -1.0, 4.0, 0.5}, dt).set_requires_grad();
    const Tensor g = tensor({1.5, 2.0, -3.0, 0.25, -1.0, INFINITY, INFINITY, 7.0}, dt);
    const Tensor one_pass = grad(relu(x), x, {.grad_outputs = {g}});
    const Tensor recorded = grad(relu(x), x, {.grad_outputs = {g}, .create_graph = true});
    const std::vector<double> want{0.0, 0.0, 0.0, 0.25, -1.0, NAN, INFINITY, 7.0};  // inf · 0 = nan
    const std::vector<double> a = one_pass.to_vector(), b = recorded.to_vector();
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (std::isnan(want[i])) {
        EXPECT_TRUE(std::isnan(a[i]) && std::isnan(b[i])) << i;
        continue;
      }
      EXPECT_EQ(a[i], want[i]) << dtype_name(dt) << " at " << i;
      EXPECT_EQ(b[i], want[i]) << dtype_name(dt) << " at " << i;
    }
    EXPECT_TRUE(recorded.requires_grad());
    EXPECT_FALSE(one_pass.requires_grad());
  }
}

TEST(Step, IsOneOnlyAboveZero) {
  EXPECT_TRUE(tensor_near(step(tensor({-1.0, 0.0, 1e-300, 3.0}, DType::f64)), {4},
                          {0.0, 0.0, 1.0, 1.0}, 0, 0));
}

TEST(Relu, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(relu(zeros({2}, DType::i64)), DTypeError, "relu", "int64");
  EXPECT_THROW_WITH(step(zeros({2}, DType::i64)), DTypeError, "step", "int64");
}

}  // namespace
}  // namespace dagrad::testing

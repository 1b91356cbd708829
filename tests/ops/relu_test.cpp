// relu: max(0, x), derivative 0 at the kink (PyTorch); step: relu's derivative, gradients stop.
#include <gtest/gtest.h>

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

// pow: x^p for a real p, d/dx = p·x^(p−1); square: x², d/dx = 2x.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn pow_by(double p) {
  return [=](const std::vector<Tensor>& in) { return pow(in[0], p); };
}
Tensor call_square(const std::vector<Tensor>& in) {
  return square(in[0]);
}

TEST(Pow, MatchesTorchReferences) {
  check_reference_cases("pow", {{"p2.5", pow_by(2.5)},
                                {"p-1.5", pow_by(-1.5)},
                                {"p0.5", pow_by(0.5)},
                                {"p3_negative_base", pow_by(3.0)},
                                {"p2_negative_base", pow_by(2.0)}});
}

TEST(Square, MatchesTorchReferences) {
  check_reference_cases("square", {{"3x4", call_square}, {"scalar", call_square}});
}

INSTANTIATE_TEST_SUITE_P(Pow, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"p2_5_3x4", {{3, 4}}, {positive()}, pow_by(2.5)},
                             {"p_neg1_5_3x1", {{3, 1}}, {positive()}, pow_by(-1.5)},
                             {"p0_5_1x4", {{1, 4}}, {positive()}, pow_by(0.5)},
                             {"p3_any_sign_3x4", {{3, 4}}, {any()}, pow_by(3.0)},
                             {"p_neg2_any_sign", {{2, 3}}, {away_from_zero()}, pow_by(-2.0)},
                             {"p1_scalar", {{}}, {any()}, pow_by(1.0)},
                             {"p0_2x3", {{2, 3}}, {away_from_zero()}, pow_by(0.0)},
                         }),
                         op_case_name);

INSTANTIATE_TEST_SUITE_P(Square, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {any()}, call_square},
                             {"3x4", {{3, 4}}, {any()}, call_square},
                             {"3x1", {{3, 1}}, {any()}, call_square},
                         }),
                         op_case_name);

TEST(Pow, ZeroExponentHasZeroDerivativeEvenAtZero) {
  // d/dx x⁰ = 0 everywhere; p·x^(p−1) would give 0·∞ = nan at x = 0 (PyTorch returns 0).
  Tensor x = tensor({0.0, 2.0, -3.0}, DType::f64).set_requires_grad();
  const Tensor y = pow(x, 0.0);
  EXPECT_TRUE(tensor_near(y, {3}, {1, 1, 1}, 0, 0));
  sum(y).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {3}, {0, 0, 0}, 0, 0));
}

TEST(Pow, DerivativeAtZeroForPositiveIntegerExponents) {
  Tensor x = tensor({0.0}, DType::f64).set_requires_grad();
  sum(pow(x, 1.0) + pow(x, 2.0) + pow(x, 3.0)).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {1}, {1.0}, 0, 0));  // 1 + 0 + 0
}

TEST(Pow, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(pow(zeros({2}, DType::i64), 2.0), DTypeError, "pow", "int64");
  EXPECT_THROW_WITH(square(zeros({2}, DType::i64)), DTypeError, "square", "int64");
}

}  // namespace
}  // namespace dagrad::testing

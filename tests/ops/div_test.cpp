// div: a / b with broadcasting; denominators drawn away from zero. IEEE 754 at zero.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/binary_cases.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const Tensor& a, const Tensor& b) {
  return div(a, b);
}
Fn binary() {
  return [](const std::vector<Tensor>& in) { return call(in[0], in[1]); };
}

TEST(Div, MatchesTorchReferences) {
  check_reference_cases("div", {{"3x4_3x4", binary()},
                                {"3x1_1x4", binary()},
                                {"scalar_2x3", binary()},
                                {"2x3_scalar", binary()},
                                {"2x1x4_3x1", binary()}});
}

INSTANTIATE_TEST_SUITE_P(Div, OpGradcheck,
                         ::testing::ValuesIn(binary_cases(call, away_from_zero())), op_case_name);

INSTANTIATE_TEST_SUITE_P(DivOperators, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"tensor_op_tensor",
                              {{2, 3}, {2, 1}},
                              {any(), away_from_zero()},
                              [](const std::vector<Tensor>& in) { return in[0] / in[1]; }},
                             {"tensor_op_double",
                              {{2, 3}},
                              {any()},
                              [](const std::vector<Tensor>& in) { return in[0] / 1.7; }},
                             {"double_op_tensor",
                              {{2, 3}},
                              {away_from_zero()},
                              [](const std::vector<Tensor>& in) { return -0.6 / in[0]; }},
                         }),
                         op_case_name);

TEST(Div, ByZeroFollowsIeee754) {
  const Tensor out = div(tensor({1.0, -1.0, 0.0}, DType::f64), zeros({3}, DType::f64));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(tensor_near(out, {3}, {inf, -inf, std::nan("")}, 0, 0));
}

TEST(Div, NonBroadcastableShapesAreAShapeError) {
  EXPECT_THROW_WITH(div(ones({2, 3}), ones({4})), ShapeError, "div", "[2,3]", "[4]");
}

TEST(Div, MixedDtypesAreADTypeError) {
  EXPECT_THROW_WITH(div(ones({2}, DType::f64), ones({2}, DType::f32)), DTypeError, "div", "float32",
                    "float64");
}

}  // namespace
}  // namespace dagrad::testing

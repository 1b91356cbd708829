// sqrt: √x on positive inputs, d/dx = 1/(2√x); nan below zero.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const std::vector<Tensor>& in) {
  return sqrt(in[0]);
}

TEST(Sqrt, MatchesTorchReferences) {
  check_reference_cases("sqrt", {{"3x4", call}, {"3x1", call}});
}

INSTANTIATE_TEST_SUITE_P(Sqrt, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {positive()}, call},
                             {"3x4", {{3, 4}}, {positive()}, call},
                             {"3x1", {{3, 1}}, {positive()}, call},
                             {"1x4", {{1, 4}}, {positive()}, call},
                             {"2x3x4", {{2, 3, 4}}, {positive()}, call},
                         }),
                         op_case_name);

TEST(Sqrt, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(sqrt(zeros({2, 2}, DType::i64)), DTypeError, "sqrt", "int64");
}

TEST(Sqrt, NegativeIsNan) {
  const Tensor out = sqrt(tensor({-4.0, 0.0, 9.0}, DType::f64));
  EXPECT_TRUE(std::isnan(out.at({0})));
  EXPECT_EQ(out.at({1}), 0.0);
  EXPECT_EQ(out.at({2}), 3.0);
}

}  // namespace
}  // namespace dagrad::testing

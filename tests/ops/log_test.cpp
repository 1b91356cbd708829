// log: natural log on positive inputs, d/dx = 1/x; IEEE 754 at and below zero.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const std::vector<Tensor>& in) {
  return log(in[0]);
}

TEST(Log, MatchesTorchReferences) {
  check_reference_cases("log", {{"3x4", call}, {"scalar", call}});
}

INSTANTIATE_TEST_SUITE_P(Log, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {positive()}, call},
                             {"3x4", {{3, 4}}, {positive()}, call},
                             {"3x1", {{3, 1}}, {positive()}, call},
                             {"1x4", {{1, 4}}, {positive()}, call},
                             {"2x3x4", {{2, 3, 4}}, {positive()}, call},
                         }),
                         op_case_name);

TEST(Log, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(log(zeros({2, 2}, DType::i64)), DTypeError, "log", "int64");
}

TEST(Log, ZeroAndNegativeFollowIeee754) {
  const Tensor out = log(tensor({0.0, -1.0}, DType::f64));
  EXPECT_EQ(out.at({0}), -INFINITY);
  EXPECT_TRUE(std::isnan(out.at({1})));
}

}  // namespace
}  // namespace dagrad::testing

// exp: e^x, its own derivative.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const std::vector<Tensor>& in) {
  return exp(in[0]);
}

TEST(Exp, MatchesTorchReferences) {
  check_reference_cases("exp", {{"3x4", call}, {"scalar", call}, {"3x1", call}});
}

INSTANTIATE_TEST_SUITE_P(Exp, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {any()}, call},
                             {"3x4", {{3, 4}}, {any()}, call},
                             {"3x1", {{3, 1}}, {any()}, call},
                             {"1x4", {{1, 4}}, {any()}, call},
                             {"2x3x4", {{2, 3, 4}}, {any()}, call},
                         }),
                         op_case_name);

TEST(Exp, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(exp(zeros({2, 2}, DType::i64)), DTypeError, "exp", "int64");
}

TEST(Exp, OverflowsToInfinityAsIeee754) {
  const Tensor out = exp(tensor({1000.0, -1000.0}, DType::f64));
  EXPECT_TRUE(std::isinf(out.at({0})));
  EXPECT_EQ(out.at({1}), 0.0);
}

}  // namespace
}  // namespace dagrad::testing

// sum: over all axes or a list of axes, keepdim; the derivative broadcasts back.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn sum_over(std::vector<std::int64_t> axes = {}, bool keepdim = false) {
  return [=](const std::vector<Tensor>& in) { return sum(in[0], axes, keepdim); };
}

TEST(Sum, MatchesTorchReferences) {
  check_reference_cases("sum", {{"all_3x4", sum_over()},
                                {"axis0", sum_over({0})},
                                {"axis1_keepdim", sum_over({1}, true)},
                                {"axis-1", sum_over({-1})},
                                {"axes02_2x3x4", sum_over({0, 2})},
                                {"all_keepdim_2x3x4", sum_over({}, true)},
                                {"scalar", sum_over()}});
}

INSTANTIATE_TEST_SUITE_P(Sum, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {any()}, sum_over()},
                             {"all_3x4", {{3, 4}}, {any()}, sum_over()},
                             {"axis0_3x4", {{3, 4}}, {any()}, sum_over({0})},
                             {"axis1_keepdim_3x4", {{3, 4}}, {any()}, sum_over({1}, true)},
                             {"axis0_3x1", {{3, 1}}, {any()}, sum_over({0})},
                             {"axis1_1x4", {{1, 4}}, {any()}, sum_over({1})},
                             {"axes02_2x3x4", {{2, 3, 4}}, {any()}, sum_over({0, 2})},
                             {"axes_neg_2x3x4", {{2, 3, 4}}, {any()}, sum_over({-1, -3}, true)},
                         }),
                         op_case_name);

TEST(Sum, ResultShapes) {
  EXPECT_EQ(sum(zeros({2, 3, 4})).shape(), (Shape{}));
  EXPECT_EQ(sum(zeros({2, 3, 4}), {1}).shape(), (Shape{2, 4}));
  EXPECT_EQ(sum(zeros({2, 3, 4}), {1}, true).shape(), (Shape{2, 1, 4}));
  EXPECT_EQ(sum(zeros({2, 3, 4}), {}, true).shape(), (Shape{1, 1, 1}));
}

TEST(Sum, BadAxisIsAShapeError) {
  EXPECT_THROW_WITH(sum(zeros({2, 3}), {5}), ShapeError, "sum", "5", "[2,3]");
  EXPECT_THROW_WITH(sum(zeros({2, 3}), {-3}), ShapeError, "sum", "-3", "[2,3]");
  EXPECT_THROW_WITH(sum(zeros({2, 3}), {0, -2}), ShapeError, "sum", "[2,3]");  // repeated
}

}  // namespace
}  // namespace dagrad::testing

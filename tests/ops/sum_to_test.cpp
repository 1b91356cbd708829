// sum_to and broadcast_to: the pair every broadcasting derivative uses.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn sum_to_shape(Shape s) {
  return [=](const std::vector<Tensor>& in) { return sum_to(in[0], s); };
}
Fn broadcast_to_shape(Shape s) {
  return [=](const std::vector<Tensor>& in) { return broadcast_to(in[0], s); };
}

TEST(SumTo, MatchesTorchReferences) {
  check_reference_cases("sum_to", {{"3x4_to_3x1", sum_to_shape({3, 1})},
                                   {"3x4_to_1x4", sum_to_shape({1, 4})},
                                   {"2x3x4_to_4", sum_to_shape({4})},
                                   {"2x3x4_to_3x1", sum_to_shape({3, 1})},
                                   {"3x4_to_scalar", sum_to_shape({})}});
}

TEST(BroadcastTo, MatchesTorchReferences) {
  check_reference_cases("broadcast_to", {{"3x1_to_2x3x4", broadcast_to_shape({2, 3, 4})},
                                         {"scalar_to_2x3", broadcast_to_shape({2, 3})},
                                         {"1x4_to_3x4", broadcast_to_shape({3, 4})}});
}

INSTANTIATE_TEST_SUITE_P(SumTo, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"3x4_to_3x1", {{3, 4}}, {any()}, sum_to_shape({3, 1})},
                             {"2x3x4_to_1x4", {{2, 3, 4}}, {any()}, sum_to_shape({1, 4})},
                             {"2x3x4_to_2x1x1", {{2, 3, 4}}, {any()}, sum_to_shape({2, 1, 1})},
                             {"3x4_to_scalar", {{3, 4}}, {any()}, sum_to_shape({})},
                         }),
                         op_case_name);

INSTANTIATE_TEST_SUITE_P(
    BroadcastTo, OpGradcheck,
    ::testing::ValuesIn(std::vector<OpCase>{
        {"3x1_to_2x3x4", {{3, 1}}, {any()}, broadcast_to_shape({2, 3, 4})},
        {"scalar_to_2x3", {{}}, {any()}, broadcast_to_shape({2, 3})},
        {"2x1x4_to_2x3x4", {{2, 1, 4}}, {any()}, broadcast_to_shape({2, 3, 4})},
    }),
    op_case_name);

TEST(SumTo, SameShapeReturnsTheTensorItself) {
  const Tensor x = zeros({2, 3});
  EXPECT_EQ(sum_to(x, {2, 3}).impl(), x.impl());
  EXPECT_EQ(broadcast_to(x, {2, 3}).impl(), x.impl());
}

TEST(SumTo, ShapesThatDoNotBroadcastAreAShapeError) {
  EXPECT_THROW_WITH(sum_to(zeros({3, 4}), {2}), ShapeError, "sum_to", "[2]", "[3,4]");
  EXPECT_THROW_WITH(sum_to(zeros({3, 4}), {1, 3, 4}), ShapeError, "sum_to", "[1,3,4]", "[3,4]");
  EXPECT_THROW_WITH(broadcast_to(zeros({3, 2}), {3, 4}), ShapeError, "broadcast_to", "[3,2]",
                    "[3,4]");
}

}  // namespace
}  // namespace dagrad::testing

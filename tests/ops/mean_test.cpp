// mean: over all axes or a list of axes, keepdim; derivative g / count broadcast back.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn mean_over(std::vector<std::int64_t> axes = {}, bool keepdim = false) {
  return [=](const std::vector<Tensor>& in) { return mean(in[0], axes, keepdim); };
}

TEST(Mean, MatchesTorchReferences) {
  check_reference_cases("mean", {{"all_3x4", mean_over()},
                                 {"axis0", mean_over({0})},
                                 {"axis1_keepdim", mean_over({1}, true)},
                                 {"axis-1", mean_over({-1})},
                                 {"axes02_2x3x4", mean_over({0, 2})},
                                 {"all_keepdim_2x3x4", mean_over({}, true)},
                                 {"scalar", mean_over()}});
}

INSTANTIATE_TEST_SUITE_P(Mean, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {any()}, mean_over()},
                             {"all_3x4", {{3, 4}}, {any()}, mean_over()},
                             {"axis0_3x4", {{3, 4}}, {any()}, mean_over({0})},
                             {"axis1_keepdim_3x4", {{3, 4}}, {any()}, mean_over({1}, true)},
                             {"axis0_3x1", {{3, 1}}, {any()}, mean_over({0})},
                             {"axis1_1x4", {{1, 4}}, {any()}, mean_over({1})},
                             {"axes02_2x3x4", {{2, 3, 4}}, {any()}, mean_over({0, 2})},
                         }),
                         op_case_name);

TEST(Mean, BadAxisIsAShapeError) {
  EXPECT_THROW_WITH(mean(zeros({2, 3}), {2}), ShapeError, "mean", "2", "[2,3]");
  EXPECT_THROW_WITH(mean(zeros({2, 3}), {-3}), ShapeError, "mean", "-3", "[2,3]");
}

}  // namespace
}  // namespace dagrad::testing

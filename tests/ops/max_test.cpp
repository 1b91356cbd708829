// max along an axis (gradient to the first maximal element, as PyTorch) and argmax.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn max_along(std::int64_t axis, bool keepdim = false) {
  return [=](const std::vector<Tensor>& in) { return max(in[0], axis, keepdim); };
}
Fn argmax_along(std::int64_t axis, bool keepdim = false) {
  return [=](const std::vector<Tensor>& in) { return argmax(in[0], axis, keepdim); };
}

TEST(Max, MatchesTorchReferences) {
  check_reference_cases("max", {{"axis0", max_along(0)},
                                {"axis1_keepdim", max_along(1, true)},
                                {"axis-1_2x3x4", max_along(-1)}});
}

TEST(Argmax, MatchesTorchReferences) {
  check_reference_cases("argmax",
                        {{"axis0", argmax_along(0)}, {"axis1_keepdim", argmax_along(1, true)}});
}

// Distinct values 0.25 apart: no ties, so max is differentiable at every input.
INSTANTIATE_TEST_SUITE_P(Max, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"axis0_3x4", {{3, 4}}, {distinct()}, max_along(0)},
                             {"axis1_keepdim_3x4", {{3, 4}}, {distinct()}, max_along(1, true)},
                             {"axis1_2x3x4", {{2, 3, 4}}, {distinct()}, max_along(1)},
                             {"axis-1_1x4", {{1, 4}}, {distinct()}, max_along(-1)},
                             {"axis0_3x1", {{3, 1}}, {distinct()}, max_along(0)},
                         }),
                         op_case_name);

TEST(Max, TiesSendTheGradientToTheFirstMaximum) {
  Tensor x = tensor({{1.0, 3.0, 3.0}, {2.0, 2.0, 0.0}}, DType::f64).set_requires_grad();
  sum(max(x, 1)).backward();
  EXPECT_TRUE(tensor_near(x.grad(), {2, 3}, {0, 1, 0, 1, 0, 0}, 0, 0));
  EXPECT_TRUE(tensor_near(argmax(x, 1), {2}, {1, 0}, 0, 0));
}

TEST(Max, NanIsNeverHidden) {
  const Tensor x = tensor({{1.0, NAN, 3.0}, {2.0, 5.0, 4.0}}, DType::f64);
  const Tensor m = max(x, 1);
  EXPECT_TRUE(std::isnan(m.at({0})));  // as PyTorch
  EXPECT_EQ(m.at({1}), 5.0);
  EXPECT_TRUE(tensor_near(argmax(x, 1), {2}, {1, 1}, 0, 0));
}

TEST(Argmax, IsInt64AndNotRecorded) {
  Tensor x = tensor({{0.5, -1.0}, {2.0, 3.0}}, DType::f64).set_requires_grad();
  const Tensor i = argmax(x, 0);
  EXPECT_EQ(i.dtype(), DType::i64);
  EXPECT_FALSE(i.requires_grad());
  EXPECT_FALSE(i.grad_fn());
}

TEST(Max, BadAxisOrEmptySliceIsAShapeError) {
  EXPECT_THROW_WITH(max(zeros({2, 3}), 2), ShapeError, "max", "2", "[2,3]");
  EXPECT_THROW_WITH(argmax(zeros({2, 3}), -3), ShapeError, "argmax", "-3", "[2,3]");
  EXPECT_THROW_WITH(max(zeros({2, 0}), 1), ShapeError, "max", "[2,0]");
}

}  // namespace
}  // namespace dagrad::testing

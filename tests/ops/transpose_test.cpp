// transpose: swaps two axes (default the last two).
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn swap(std::int64_t a0 = -2, std::int64_t a1 = -1) {
  return [=](const std::vector<Tensor>& in) { return transpose(in[0], a0, a1); };
}

TEST(Transpose, MatchesTorchReferences) {
  check_reference_cases("transpose", {{"2x3", swap()},
                                      {"2x3x4", swap()},
                                      {"2x3x4_axes0_2", swap(0, 2)},
                                      {"2x3x4_axes0_-2", swap(0, -2)}});
}

INSTANTIATE_TEST_SUITE_P(Transpose, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"2x3", {{2, 3}}, {any()}, swap()},
                             {"3x1", {{3, 1}}, {any()}, swap()},
                             {"2x3x4", {{2, 3, 4}}, {any()}, swap()},
                             {"2x3x4_axes0_2", {{2, 3, 4}}, {any()}, swap(0, 2)},
                             {"2x3x4x5_axes1_3", {{2, 3, 4, 5}}, {any()}, swap(1, 3)},
                             {"same_axis", {{2, 3}}, {any()}, swap(1, 1)},
                         }),
                         op_case_name);

TEST(Transpose, TwiceIsTheIdentity) {
  const Tensor x = arange(24.0, DType::f64);
  const Tensor y = reshape(x, {2, 3, 4});
  EXPECT_TRUE(tensor_near(transpose(transpose(y, 0, 2), 0, 2), y, 0, 0));
}

TEST(Transpose, SameAxisTwiceIsACopy) {
  const Tensor x = reshape(arange(6.0, DType::f64), {2, 3});
  EXPECT_TRUE(tensor_near(transpose(x, 1, 1), x, 0, 0));
  EXPECT_TRUE(tensor_near(transpose(x, 0, -2), x, 0, 0));
}

TEST(Transpose, BadAxisIsAShapeError) {
  EXPECT_THROW_WITH(transpose(zeros({2, 3}), 0, 2), ShapeError, "transpose", "2", "[2,3]");
  EXPECT_THROW_WITH(transpose(zeros({3})), ShapeError, "transpose", "[3]");
}

}  // namespace
}  // namespace dagrad::testing

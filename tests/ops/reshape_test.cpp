// reshape: same elements, another shape, one extent may be −1.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn to(Shape shape) {
  return [=](const std::vector<Tensor>& in) { return reshape(in[0], shape); };
}

TEST(Reshape, MatchesTorchReferences) {
  check_reference_cases("reshape", {{"3x4_to_4x3", to({4, 3})},
                                    {"3x4_to_2x-1", to({2, -1})},
                                    {"2x3x4_to_24", to({24})},
                                    {"scalar_to_1x1", to({1, 1})}});
}

INSTANTIATE_TEST_SUITE_P(Reshape, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"3x4_to_4x3", {{3, 4}}, {any()}, to({4, 3})},
                             {"3x4_to_2x-1x2", {{3, 4}}, {any()}, to({2, -1, 2})},
                             {"scalar_to_1", {{}}, {any()}, to({1})},
                             {"1x1_to_scalar", {{1, 1}}, {any()}, to({})},
                         }),
                         op_case_name);

TEST(Reshape, ForwardDoesNotChangeTheOriginal) {
  const Tensor x = arange(6.0, DType::f64);
  const Tensor y = reshape(x, {2, 3});
  EXPECT_EQ(x.shape(), (Shape{6}));
  EXPECT_EQ(y.at({1, 0}), 3.0);
}

TEST(Reshape, HugeTargetShapesAreAShapeErrorWithoutOverflow) {
  // Products of these extents overflow int64; the check must not (UBSan would abort).
  const std::int64_t big = std::int64_t{1} << 40;
  EXPECT_THROW_WITH(reshape(zeros({4}), {big, big}), ShapeError, "reshape", "[4]");
  EXPECT_THROW_WITH(reshape(zeros({4}), {std::int64_t{1} << 62, 4, -1}), ShapeError, "reshape",
                    "[4]");
}

TEST(Reshape, WrongElementCountIsAShapeError) {
  EXPECT_THROW_WITH(reshape(zeros({2, 3}), {4, 2}), ShapeError, "reshape", "[2,3]", "[4,2]");
  EXPECT_THROW_WITH(reshape(zeros({2, 3}), {4, -1}), ShapeError, "reshape", "[2,3]");
  EXPECT_THROW_WITH(reshape(zeros({2, 3}), {-1, -1}), ShapeError, "reshape", "[2,3]");
  EXPECT_THROW_WITH(reshape(zeros({2, 3}), {-2, -3}), ShapeError, "reshape", "[2,3]");
}

}  // namespace
}  // namespace dagrad::testing

// matmul: 2-D, 1-D operands, batched with broadcast leading axes, transpose flags. Non-square
// everywhere, so a missing transpose in the derivative shows.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn mm(bool ta = false, bool tb = false) {
  return [=](const std::vector<Tensor>& in) { return matmul(in[0], in[1], ta, tb); };
}

TEST(Matmul, MatchesTorchReferences) {
  check_reference_cases("matmul", {{"2x3_3x4", mm()},
                                   {"vec3_3x4", mm()},
                                   {"2x3_vec3", mm()},
                                   {"vec3_vec3", mm()},
                                   {"2x2x3_3x4", mm()},
                                   {"2x1x2x3_2x3x4", mm()},
                                   {"Ta_3x2_3x4", mm(true, false)},
                                   {"Tb_2x3_4x3", mm(false, true)},
                                   {"TaTb_3x2_4x3", mm(true, true)}});
}

INSTANTIATE_TEST_SUITE_P(
    Matmul, OpGradcheck,
    ::testing::ValuesIn(std::vector<OpCase>{
        {"2x3_3x4", {{2, 3}, {3, 4}}, {any()}, mm()},
        {"1x3_3x1", {{1, 3}, {3, 1}}, {any()}, mm()},
        {"vec3_3x4", {{3}, {3, 4}}, {any()}, mm()},
        {"2x3_vec3", {{2, 3}, {3}}, {any()}, mm()},
        {"vec3_vec3", {{3}, {3}}, {any()}, mm()},
        {"batch_2x2x3_3x4", {{2, 2, 3}, {3, 4}}, {any()}, mm()},
        {"batch_2x3_2x3x4", {{2, 3}, {2, 3, 4}}, {any()}, mm()},
        {"batch_2x2x3_2x3x4", {{2, 2, 3}, {2, 3, 4}}, {any()}, mm()},
        {"bcast_2x1x2x3_3x3x4", {{2, 1, 2, 3}, {3, 3, 4}}, {any()}, mm()},
        {"bcast_1x2x3_2x1x3x4", {{1, 2, 3}, {2, 1, 3, 4}}, {any()}, mm()},
        {"vec3_2x3x4", {{3}, {2, 3, 4}}, {any()}, mm()},
        {"2x2x3_vec3", {{2, 2, 3}, {3}}, {any()}, mm()},
        {"Ta_3x2_3x4", {{3, 2}, {3, 4}}, {any()}, mm(true, false)},
        {"Tb_2x3_4x3", {{2, 3}, {4, 3}}, {any()}, mm(false, true)},
        {"TaTb_3x2_4x3", {{3, 2}, {4, 3}}, {any()}, mm(true, true)},
        {"Ta_batch_2x3x2_3x4", {{2, 3, 2}, {3, 4}}, {any()}, mm(true, false)},
        {"Tb_bcast_2x1x2x3_3x4x3", {{2, 1, 2, 3}, {3, 4, 3}}, {any()}, mm(false, true)},
        {"TaTb_batch_2x3x2_2x4x3", {{2, 3, 2}, {2, 4, 3}}, {any()}, mm(true, true)},
        {"Ta_vec3", {{3, 2}, {3}}, {any()}, mm(true, false)},
    }),
    op_case_name);

TEST(Matmul, ResultShapesFollowNumpy) {
  EXPECT_EQ(matmul(zeros({2, 3}), zeros({3, 4})).shape(), (Shape{2, 4}));
  EXPECT_EQ(matmul(zeros({3}), zeros({3, 4})).shape(), (Shape{4}));
  EXPECT_EQ(matmul(zeros({2, 3}), zeros({3})).shape(), (Shape{2}));
  EXPECT_EQ(matmul(zeros({3}), zeros({3})).shape(), (Shape{}));
  EXPECT_EQ(matmul(zeros({2, 1, 2, 3}), zeros({5, 3, 4})).shape(), (Shape{2, 5, 2, 4}));
  EXPECT_EQ(matmul(zeros({3, 2}), zeros({3, 4}), true, false).shape(), (Shape{2, 4}));
  EXPECT_EQ(matmul(zeros({2, 3}), zeros({4, 3}), false, true).shape(), (Shape{2, 4}));
}

TEST(Matmul, EmptyInnerDimensionGivesZeros) {
  const Tensor out = matmul(zeros({2, 0}, DType::f64), zeros({0, 3}, DType::f64));
  EXPECT_TRUE(tensor_near(out, {2, 3}, std::vector<double>(6, 0.0), 0, 0));
}

TEST(Matmul, MismatchedInnerDimensionsAreAShapeError) {
  EXPECT_THROW_WITH(matmul(zeros({2, 3}), zeros({4, 5})), ShapeError, "matmul", "[2,3]", "[4,5]");
  EXPECT_THROW_WITH(matmul(zeros({3}), zeros({4})), ShapeError, "matmul", "[3]", "[4]");
  EXPECT_THROW_WITH(matmul(zeros({2, 2, 3}), zeros({3, 3, 4})), ShapeError, "matmul", "[2,2,3]",
                    "[3,3,4]");
  EXPECT_THROW_WITH(matmul(zeros({2, 3}), zeros({2, 3})), ShapeError, "matmul", "[2,3]");
  EXPECT_THROW_WITH(matmul(zeros({}), zeros({3})), ShapeError, "matmul", "[]", "[3]");
}

TEST(Matmul, MixedOrIntegerDtypesAreADTypeError) {
  EXPECT_THROW_WITH(matmul(zeros({2, 3}, DType::f32), zeros({3, 4}, DType::f64)), DTypeError,
                    "matmul", "float32", "float64");
  EXPECT_THROW_WITH(matmul(zeros({2, 3}, DType::i64), zeros({3, 4}, DType::i64)), DTypeError,
                    "matmul", "int64");
}

}  // namespace
}  // namespace dagrad::testing

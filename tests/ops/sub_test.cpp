// sub: a - b with broadcasting. References from torch, float64 gradcheck over broadcast
// shapes, operators with a double, bad input.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/binary_cases.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const Tensor& a, const Tensor& b) {
  return sub(a, b);
}
Fn binary() {
  return [](const std::vector<Tensor>& in) { return call(in[0], in[1]); };
}

TEST(Sub, MatchesTorchReferences) {
  check_reference_cases("sub", {{"3x4_3x4", binary()},
                                {"3x1_1x4", binary()},
                                {"scalar_2x3", binary()},
                                {"2x3_scalar", binary()},
                                {"2x1x4_3x1", binary()},
                                {"scalar_scalar", binary()}});
}

INSTANTIATE_TEST_SUITE_P(Sub, OpGradcheck, ::testing::ValuesIn(binary_cases(call)), op_case_name);

INSTANTIATE_TEST_SUITE_P(SubOperators, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"tensor_op_tensor",
                              {{2, 3}, {2, 1}},
                              {any()},
                              [](const std::vector<Tensor>& in) { return in[0] - in[1]; }},
                             {"tensor_op_double",
                              {{2, 3}},
                              {any()},
                              [](const std::vector<Tensor>& in) { return in[0] - 1.7; }},
                             {"double_op_tensor",
                              {{2, 3}},
                              {any()},
                              [](const std::vector<Tensor>& in) { return -0.6 - in[0]; }},
                         }),
                         op_case_name);

TEST(Sub, OperatorsMatchTheFunction) {
  const Tensor a = tensor({{1.5, -2.0}, {0.25, 3.0}}, DType::f64);
  const Tensor b = tensor({{-0.5}, {4.0}}, DType::f64);
  EXPECT_TRUE(tensor_near(a - b, sub(a, b), 0, 0));
  EXPECT_TRUE(tensor_near(a - 2.5, sub(a, full({}, 2.5, DType::f64)), 0, 0));
  EXPECT_TRUE(tensor_near(2.5 - a, sub(full({}, 2.5, DType::f64), a), 0, 0));
  EXPECT_EQ((a.to(DType::f32) - 2.5).dtype(), DType::f32);  // the double takes a's dtype
}

TEST(Sub, NonBroadcastableShapesAreAShapeError) {
  EXPECT_THROW_WITH(sub(zeros({2, 3}), zeros({4})), ShapeError, "sub", "[2,3]", "[4]");
  EXPECT_THROW_WITH(sub(zeros({2, 3}), zeros({3, 2})), ShapeError, "sub", "[2,3]", "[3,2]");
  EXPECT_THROW_WITH(sub(zeros({2, 1, 4}), zeros({3, 2})), ShapeError, "sub", "[2,1,4]", "[3,2]");
}

TEST(Sub, MixedDtypesAreADTypeError) {
  EXPECT_THROW_WITH(sub(zeros({2}, DType::f32), zeros({2}, DType::f64)), DTypeError, "sub",
                    "float32", "float64");
  EXPECT_THROW_WITH(sub(zeros({2}, DType::i64), zeros({2}, DType::i64)), DTypeError, "sub",
                    "int64");
}

}  // namespace
}  // namespace dagrad::testing

// add: a + b with broadcasting. References from torch, float64 gradcheck over broadcast
// shapes, operators with a double, bad input.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/binary_cases.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const Tensor& a, const Tensor& b) {
  return add(a, b);
}
Fn binary() {
  return [](const std::vector<Tensor>& in) { return call(in[0], in[1]); };
}

TEST(Add, MatchesTorchReferences) {
  check_reference_cases("add", {{"3x4_3x4", binary()},
                                {"3x1_1x4", binary()},
                                {"scalar_2x3", binary()},
                                {"2x3_scalar", binary()},
                                {"2x1x4_3x1", binary()},
                                {"scalar_scalar", binary()}});
}

INSTANTIATE_TEST_SUITE_P(Add, OpGradcheck, ::testing::ValuesIn(binary_cases(call)), op_case_name);

INSTANTIATE_TEST_SUITE_P(AddOperators, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"tensor_op_tensor",
                              {{2, 3}, {2, 1}},
                              {any()},
                              [](const std::vector<Tensor>& in) { return in[0] + in[1]; }},
                             {"tensor_op_double",
                              {{2, 3}},
                              {any()},
                              [](const std::vector<Tensor>& in) { return in[0] + 1.7; }},
                             {"double_op_tensor",
                              {{2, 3}},
                              {any()},
                              [](const std::vector<Tensor>& in) { return -0.6 + in[0]; }},
                         }),
                         op_case_name);

TEST(Add, OperatorsMatchTheFunction) {
  const Tensor a = tensor({{1.5, -2.0}, {0.25, 3.0}}, DType::f64);
  const Tensor b = tensor({{-0.5}, {4.0}}, DType::f64);
  EXPECT_TRUE(tensor_near(a + b, add(a, b), 0, 0));
  EXPECT_TRUE(tensor_near(a + 2.5, add(a, full({}, 2.5, DType::f64)), 0, 0));
  EXPECT_TRUE(tensor_near(2.5 + a, add(full({}, 2.5, DType::f64), a), 0, 0));
  EXPECT_EQ((a.to(DType::f32) + 2.5).dtype(), DType::f32);  // the double takes a's dtype
}

TEST(Add, NonBroadcastableShapesAreAShapeError) {
  EXPECT_THROW_WITH(add(zeros({2, 3}), zeros({4})), ShapeError, "add", "[2,3]", "[4]");
  EXPECT_THROW_WITH(add(zeros({2, 3}), zeros({3, 2})), ShapeError, "add", "[2,3]", "[3,2]");
  EXPECT_THROW_WITH(add(zeros({2, 1, 4}), zeros({3, 2})), ShapeError, "add", "[2,1,4]", "[3,2]");
}

TEST(Add, MixedDtypesAreADTypeError) {
  EXPECT_THROW_WITH(add(zeros({2}, DType::f32), zeros({2}, DType::f64)), DTypeError, "add",
                    "float32", "float64");
  EXPECT_THROW_WITH(add(zeros({2}, DType::i64), zeros({2}, DType::i64)), DTypeError, "add",
                    "int64");
}

}  // namespace
}  // namespace dagrad::testing

// neg: −x.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const std::vector<Tensor>& in) {
  return neg(in[0]);
}

TEST(Neg, MatchesTorchReferences) {
  check_reference_cases("neg", {{"3x4", call}, {"scalar", call}});
}

TEST(Neg, UnaryMinusIsNeg) {
  const Tensor x = tensor({{1.5, -2.0, 0.0}}, DType::f64);
  EXPECT_TRUE(tensor_near(-x, {1, 3}, {-1.5, 2.0, 0.0}, 0, 0));
}

INSTANTIATE_TEST_SUITE_P(
    Neg, OpGradcheck,
    ::testing::ValuesIn(std::vector<OpCase>{
        {"scalar", {{}}, {any()}, call},
        {"3x4", {{3, 4}}, {any()}, call},
        {"3x1", {{3, 1}}, {any()}, call},
        {"1x4", {{1, 4}}, {any()}, call},
        {"operator", {{2, 3}}, {any()}, [](const std::vector<Tensor>& in) { return -in[0]; }},
    }),
    op_case_name);

TEST(Neg, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(neg(zeros({2}, DType::i64)), DTypeError, "neg", "int64");
}

}  // namespace
}  // namespace dagrad::testing

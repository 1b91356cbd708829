// sigmoid: σ(x) = 1 / (1 + e^−x), σ' = σ(1 − σ).
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const std::vector<Tensor>& in) {
  return sigmoid(in[0]);
}

TEST(Sigmoid, MatchesTorchReferences) {
  check_reference_cases("sigmoid", {{"3x4", call}, {"scalar", call}, {"3x1", call}});
}

INSTANTIATE_TEST_SUITE_P(Sigmoid, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {any()}, call},
                             {"3x4", {{3, 4}}, {{Domain::Kind::uniform, -4, 4}}, call},
                             {"3x1", {{3, 1}}, {any()}, call},
                             {"1x4", {{1, 4}}, {any()}, call},
                             {"2x3x4", {{2, 3, 4}}, {any()}, call},
                         }),
                         op_case_name);

TEST(Sigmoid, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(sigmoid(zeros({2, 2}, DType::i64)), DTypeError, "sigmoid", "int64");
}

}  // namespace
}  // namespace dagrad::testing

// tanh: tanh(x), tanh' = 1 − tanh².
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const std::vector<Tensor>& in) {
  return tanh(in[0]);
}

TEST(Tanh, MatchesTorchReferences) {
  check_reference_cases("tanh", {{"3x4", call}, {"scalar", call}, {"3x1", call}});
}

INSTANTIATE_TEST_SUITE_P(Tanh, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}}, {any()}, call},
                             {"3x4", {{3, 4}}, {any()}, call},
                             {"3x1", {{3, 1}}, {any()}, call},
                             {"1x4", {{1, 4}}, {any()}, call},
                             {"2x3x4", {{2, 3, 4}}, {any()}, call},
                         }),
                         op_case_name);

TEST(Tanh, IntegerInputIsADTypeError) {
  EXPECT_THROW_WITH(tanh(zeros({2, 2}, DType::i64)), DTypeError, "tanh", "int64");
}

}  // namespace
}  // namespace dagrad::testing

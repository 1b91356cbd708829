// mse_loss: mean((pred − target)²), shapes must match exactly.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor call(const std::vector<Tensor>& in) {
  return mse_loss(in[0], in[1]);
}

TEST(MseLoss, MatchesTorchReferences) {
  check_reference_cases("mse_loss", {{"3x4", call}, {"scalar", call}});
}

INSTANTIATE_TEST_SUITE_P(MseLoss, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"scalar", {{}, {}}, {any()}, call},
                             {"3x4", {{3, 4}, {3, 4}}, {any()}, call},
                             {"3x1", {{3, 1}, {3, 1}}, {any()}, call},
                             {"2x3x4", {{2, 3, 4}, {2, 3, 4}}, {any()}, call},
                         }),
                         op_case_name);

TEST(MseLoss, ShapesMustMatchExactly) {
  EXPECT_THROW_WITH(mse_loss(zeros({3, 4}), zeros({4, 3})), ShapeError, "mse_loss", "[3,4]",
                    "[4,3]");
  EXPECT_THROW_WITH(mse_loss(zeros({3, 4}), zeros({1, 4})), ShapeError, "mse_loss", "[3,4]",
                    "[1,4]");
}

TEST(MseLoss, MixedDtypesAreADTypeError) {
  EXPECT_THROW_WITH(mse_loss(zeros({2}, DType::f32), zeros({2}, DType::f64)), DTypeError,
                    "mse_loss", "float32", "float64");
}

}  // namespace
}  // namespace dagrad::testing

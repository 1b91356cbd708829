// nll_loss: −(1/B) Σ log_probs[b, label_b].
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor labels(std::vector<std::int64_t> v) {
  return Tensor::from_values({static_cast<std::int64_t>(v.size())}, v);
}

Tensor call(const std::vector<Tensor>& in) {
  return nll_loss(in[0], in[1]);
}

Fn with_labels(std::vector<std::int64_t> y) {
  return [t = labels(std::move(y))](const std::vector<Tensor>& in) { return nll_loss(in[0], t); };
}

TEST(NllLoss, MatchesTorchReferences) {
  check_reference_cases("nll_loss", {{"4x5", call}, {"raw_values_4x5", call}});
}

INSTANTIATE_TEST_SUITE_P(NllLoss, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             {"4x5", {{4, 5}}, {any()}, with_labels({2, 0, 4, 4})},
                             {"1x3", {{1, 3}}, {any()}, with_labels({1})},
                         }),
                         op_case_name);

TEST(NllLoss, LabelOutOfRangeIsAValueErrorNamingIt) {
  EXPECT_THROW_WITH(nll_loss(zeros({2, 3}), labels({0, 3})), ValueError, "nll_loss", "label 3");
  EXPECT_THROW_WITH(nll_loss(zeros({2, 3}), labels({-2, 0})), ValueError, "nll_loss", "label -2");
}

TEST(NllLoss, FloatLabelsAreADTypeError) {
  EXPECT_THROW_WITH(nll_loss(zeros({2, 3}), tensor({1.0, 0.0}, DType::f64)), DTypeError, "nll_loss",
                    "float64");
}

TEST(NllLoss, MismatchedShapesAreAShapeError) {
  EXPECT_THROW_WITH(nll_loss(zeros({4, 5}), labels({1, 2})), ShapeError, "nll_loss", "[4,5]",
                    "[2]");
}

}  // namespace
}  // namespace dagrad::testing

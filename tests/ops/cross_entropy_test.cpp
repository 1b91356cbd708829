// cross_entropy: −(1/B) Σ log softmax(logits_b)[label_b], integer labels.
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
  return cross_entropy(in[0], in[1]);
}

Fn with_labels(std::vector<std::int64_t> y) {
  return
      [t = labels(std::move(y))](const std::vector<Tensor>& in) { return cross_entropy(in[0], t); };
}

TEST(CrossEntropy, MatchesTorchReferences) {
  check_reference_cases("cross_entropy", {{"4x5", call}, {"1x3", call}});
}

OpCase case_of(std::string name, Shape shape, std::vector<std::int64_t> y) {
  return {std::move(name), {std::move(shape)}, {any()}, with_labels(std::move(y))};
}
INSTANTIATE_TEST_SUITE_P(CrossEntropy, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             case_of("4x5", {4, 5}, {2, 0, 4, 4}),
                             case_of("1x3", {1, 3}, {1}),
                             case_of("3x2", {3, 2}, {1, 1, 0}),
                             case_of("2x1", {2, 1}, {0, 0}),
                         }),
                         op_case_name);

TEST(CrossEntropy, EqualsNllOfLogSoftmax) {
  const Tensor x = sample({4, 3}, any(), 5);
  const Tensor y = labels({0, 2, 1, 2});
  EXPECT_TRUE(tensor_near(cross_entropy(x, y), nll_loss(log_softmax(x), y), 1e-14, 1e-15));
}

TEST(CrossEntropy, LabelOutOfRangeIsAValueErrorNamingIt) {
  EXPECT_THROW_WITH(cross_entropy(zeros({2, 5}), labels({1, 5})), ValueError, "cross_entropy",
                    "label 5");
  EXPECT_THROW_WITH(cross_entropy(zeros({2, 5}), labels({-1, 0})), ValueError, "cross_entropy",
                    "label -1");
}

TEST(CrossEntropy, FloatLabelsAreADTypeError) {
  EXPECT_THROW_WITH(cross_entropy(zeros({2, 5}), tensor({1.0, 0.0})), DTypeError, "cross_entropy",
                    "float32");
}

TEST(CrossEntropy, MismatchedShapesAreAShapeError) {
  EXPECT_THROW_WITH(cross_entropy(zeros({4, 5}), labels({1, 2, 3})), ShapeError, "cross_entropy",
                    "[4,5]", "[3]");
  EXPECT_THROW_WITH(cross_entropy(zeros({5}), labels({1})), ShapeError, "cross_entropy", "[5]");
}

}  // namespace
}  // namespace dagrad::testing

// one_hot: int64 labels -> rows with a 1 at each label; ValueError naming a label out of range.
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor labels(std::vector<std::int64_t> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<std::int64_t>(v.size())};
  return Tensor::from_values(shape, v);
}

TEST(OneHot, MatchesTorchReferences) {
  check_reference_cases("one_hot", {{"4_classes5", [](const std::vector<Tensor>& in) {
                                       return one_hot(in[0], 5, DType::f64);
                                     }}});
}

TEST(OneHot, KeepsTheLabelsShapeAndTakesADtype) {
  const Tensor out = one_hot(labels({0, 2, 1, 1}, {2, 2}), 3);
  EXPECT_EQ(out.dtype(), DType::f32);
  EXPECT_TRUE(tensor_near(out, {2, 2, 3}, {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0}, 0, 0));
  EXPECT_EQ(one_hot(labels({1}), 2, DType::f64).dtype(), DType::f64);
}

TEST(OneHot, LabelOutOfRangeIsAValueErrorNamingIt) {
  EXPECT_THROW_WITH(one_hot(labels({1, 7, 0}), 5), ValueError, "one_hot", "7");
  EXPECT_THROW_WITH(one_hot(labels({-1}), 5), ValueError, "one_hot", "-1");
  EXPECT_THROW_WITH(one_hot(labels({5}), 5), ValueError, "one_hot", "5");
}

TEST(OneHot, FloatLabelsAreADTypeError) {
  EXPECT_THROW_WITH(one_hot(tensor({1.0, 2.0}), 5), DTypeError, "one_hot", "float32");
}

}  // namespace
}  // namespace dagrad::testing

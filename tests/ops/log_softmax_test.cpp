// log_softmax: x − max − log Σ e^(x − max); derivative g − softmax(x)·Σg.
#include <cmath>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"
#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Fn log_softmax_along(std::int64_t axis = -1) {
  return [=](const std::vector<Tensor>& in) { return log_softmax(in[0], axis); };
}

TEST(LogSoftmax, MatchesTorchReferences) {
  check_reference_cases("log_softmax", {{"3x4_axis-1", log_softmax_along(-1)},
                                        {"3x4_axis0", log_softmax_along(0)},
                                        {"2x3x4_axis1", log_softmax_along(1)},
                                        {"vec3", log_softmax_along(-1)}});
}

OpCase case_of(std::string name, Shape shape, std::int64_t axis) {
  OpCase c{std::move(name), {std::move(shape)}, {any()}, log_softmax_along(axis)};
  c.reduce_with_weights = true;
  return c;
}
INSTANTIATE_TEST_SUITE_P(LogSoftmax, OpGradcheck,
                         ::testing::ValuesIn(std::vector<OpCase>{
                             case_of("3x4_axis-1", {3, 4}, -1),
                             case_of("3x4_axis0", {3, 4}, 0),
                             case_of("1x4", {1, 4}, -1),
                             case_of("3x1", {3, 1}, -1),
                             case_of("2x3x4_axis1", {2, 3, 4}, 1),
                         }),
                         op_case_name);

TEST(LogSoftmax, IsTheLogOfSoftmax) {
  const Tensor x = sample({3, 5}, any(), 3);
  EXPECT_TRUE(tensor_near(log_softmax(x), log(softmax(x)), 1e-13, 1e-15));
}

TEST(LogSoftmax, BadAxisIsAShapeError) {
  EXPECT_THROW_WITH(log_softmax(zeros({2, 3}), -3), ShapeError, "log_softmax", "-3", "[2,3]");
  EXPECT_THROW_WITH(log_softmax(zeros({2, 3}), 2), ShapeError, "log_softmax", "2", "[2,3]");
}

}  // namespace
}  // namespace dagrad::testing

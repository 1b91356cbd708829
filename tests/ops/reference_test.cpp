// The reference-value check itself: it fails on a wrong forward, a wrong gradient, a case left
// without a C++ call, and a call without a case.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "ops/support/reference.hpp"

namespace dagrad::testing {
namespace {

Tensor right(const std::vector<Tensor>& in) {
  return neg(in[0]);
}
// Off by 1e-6: beyond the float64 tolerance, within the float32 one; the gradient is intact.
Tensor wrong_forward(const std::vector<Tensor>& in) {
  return neg(in[0]) + 1e-6;
}
Tensor wrong_gradient(const std::vector<Tensor>& in) {
  return neg(in[0].detach()) + (in[0] - in[0].detach()) * 0.0;  // right value, zero gradient
}

TEST(ReferenceCheck, PassesTheRightOp) {
  check_reference_cases("neg", {{"3x4", right}, {"scalar", right}});
}

TEST(ReferenceCheck, FailsAWrongForward) {
  EXPECT_NONFATAL_FAILURE(check_reference_cases("neg", {{"3x4", wrong_forward}, {"scalar", right}}),
                          "forward, float64");
}

TEST(ReferenceCheck, FailsAWrongGradient) {
  EXPECT_NONFATAL_FAILURE(
      check_reference_cases("neg", {{"3x4", wrong_gradient}, {"scalar", right}}),
      "gradient of input 0");
}

TEST(ReferenceCheck, FailsACaseWithoutACall) {
  EXPECT_NONFATAL_FAILURE(check_reference_cases("neg", {{"3x4", right}}),
                          "no C++ call for reference case neg / scalar");
}

TEST(ReferenceCheck, FailsACallWithoutACase) {
  EXPECT_NONFATAL_FAILURE(
      check_reference_cases("neg", {{"3x4", right}, {"scalar", right}, {"5x5", right}}),
      "no reference case neg / 5x5");
}

TEST(ReferenceCheck, EveryCaseHasAnOutputAndOneGradientSlotPerInput) {
  for (const RefCase& c : reference_cases()) {
    SCOPED_TRACE(c.op + " / " + c.variant);
    EXPECT_EQ(static_cast<std::int64_t>(c.output.values.size()), numel(c.output.shape));
    EXPECT_EQ(c.grads.size(), c.inputs.size());
    for (const RefTensor& t : c.inputs)
      EXPECT_EQ(static_cast<std::int64_t>(t.values.size()), numel(t.shape));
  }
  EXPECT_GE(reference_cases().size(), 100u);
}

}  // namespace
}  // namespace dagrad::testing

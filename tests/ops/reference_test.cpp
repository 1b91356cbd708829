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

// The messages of the failures `check` reports, intercepted.
template <class F>
std::string failures_of(F check) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    check();
  }
  std::string all;
  for (int i = 0; i < results.size(); ++i)
    all += results.GetTestPartResult(i).message() + std::string("\n");
  return all;
}

TEST(ReferenceCheck, PassesTheRightOp) {
  EXPECT_EQ(failures_of([] {
              check_reference_cases("neg", {{"3x4", right}, {"scalar", right}});
            }),
            "");
}

TEST(ReferenceCheck, FailsAWrongForward) {
  const std::string f = failures_of([] {
    check_reference_cases("neg", {{"3x4", wrong_forward}, {"scalar", right}});
  });
  EXPECT_NE(f.find("forward, float64"), std::string::npos) << f;
  EXPECT_EQ(f.find("gradient"), std::string::npos) << f;
}

TEST(ReferenceCheck, FailsAWrongGradientInBothDtypes) {
  const std::string f = failures_of([] {
    check_reference_cases("neg", {{"3x4", wrong_gradient}, {"scalar", right}});
  });
  EXPECT_NE(f.find("gradient of input 0 of sum(output * weights)"), std::string::npos) << f;
  EXPECT_NE(f.find("gradient of input 0, float32"), std::string::npos) << f;
  EXPECT_EQ(f.find("forward"), std::string::npos) << f;
}

TEST(ReferenceCheck, FailsACaseWithoutACall) {
  const std::string f = failures_of([] { check_reference_cases("neg", {{"3x4", right}}); });
  EXPECT_NE(f.find("no C++ call for reference case neg / scalar"), std::string::npos) << f;
}

TEST(ReferenceCheck, FailsACallWithoutACase) {
  const std::string f = failures_of([] {
    check_reference_cases("neg", {{"3x4", right}, {"scalar", right}, {"5x5", right}});
  });
  EXPECT_NE(f.find("no reference case neg / 5x5"), std::string::npos) << f;
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

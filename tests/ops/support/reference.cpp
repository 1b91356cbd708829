#include "ops/support/reference.hpp"

#include <set>

#include <gtest/gtest.h>

#include <dagrad/core/error.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {

namespace {

// Eigen's vectorised exp/log/tanh and torch's differ by a few ulp, and sums may run in another
// order: agreement to 1e-10 relative in float64 is far below any real error.
constexpr double kRtol64 = 1e-10, kAtol64 = 1e-12;
constexpr double kRtol32 = 2e-5, kAtol32 = 2e-6;
constexpr double kGradRtol32 = 1e-4, kGradAtol32 = 1e-5;  // backward chains several roundings

}  // namespace

Tensor RefTensor::make(DType floating) const {
  if (kind == RefKind::i64) {
    std::vector<std::int64_t> v(values.begin(), values.end());
    return Tensor::from_values(shape, v);
  }
  return Tensor::from_values(shape, values, floating);
}

const std::vector<RefCase>& reference_cases() {
  static const std::vector<RefCase> cases = {
#include "ops/reference_values.inc"
  };
  return cases;
}

void check_reference_cases(const std::string& op, const std::map<std::string, Fn>& variants) {
  std::set<std::string> covered;
  for (const RefCase& c : reference_cases()) {
    if (c.op != op) continue;
    SCOPED_TRACE(op + " / " + c.variant);
    const auto fn = variants.find(c.variant);
    if (fn == variants.end()) {
      ADD_FAILURE() << "no C++ call for reference case " << op << " / " << c.variant;
      continue;
    }
    covered.insert(c.variant);

    std::vector<Tensor> inputs;
    for (const RefTensor& r : c.inputs) {
      Tensor t = r.make();
      if (c.weights.kind != RefKind::none && r.kind == RefKind::f64) t.set_requires_grad();
      inputs.push_back(t);
    }
    const Tensor out = fn->second(inputs);
    EXPECT_TRUE(tensor_near(out, c.output.shape, c.output.values, kRtol64, kAtol64))
        << "forward, float64";
    EXPECT_EQ(out.dtype(), c.output.kind == RefKind::i64 ? DType::i64 : DType::f64);

    if (c.weights.kind != RefKind::none && out.shape() == c.weights.shape) {
      const Tensor loss = weighted_sum(out, c.weights.make());
      if (loss.requires_grad()) loss.backward();  // else: the graph stops, gradients are zero
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        const RefTensor& g = c.grads[i];
        if (g.kind == RefKind::none) continue;
        const Tensor got =
            inputs[i].grad().defined() ? inputs[i].grad() : zeros(g.shape, DType::f64);
        EXPECT_TRUE(tensor_near(got, g.shape, g.values, kRtol64, kAtol64))
            << "gradient of input " << i << " of sum(output * weights)";
      }
    }

    // float32: the same forward, with float32's precision (ops of integer inputs only excepted).
    std::vector<Tensor> inputs32;
    bool any_floating = false;
    for (const RefTensor& r : c.inputs) {
      Tensor t = r.make(DType::f32);
      if (c.weights.kind != RefKind::none && r.kind == RefKind::f64) t.set_requires_grad();
      inputs32.push_back(t);
      any_floating = any_floating || r.kind == RefKind::f64;
    }
    if (!any_floating) continue;
    const Tensor out32 = fn->second(inputs32);
    EXPECT_TRUE(tensor_near(out32, c.output.shape, c.output.values, kRtol32, kAtol32))
        << "forward, float32";
    EXPECT_EQ(out32.dtype(), c.output.kind == RefKind::i64 ? DType::i64 : DType::f32);

    // float32 backward: same gradients, float32 throughout (a derivative that built a float64
    // constant would throw a DTypeError here).
    if (c.weights.kind == RefKind::none || out32.shape() != c.weights.shape) continue;
    const Tensor loss32 = weighted_sum(out32, c.weights.make(DType::f32));
    if (loss32.requires_grad()) loss32.backward();
    for (std::size_t i = 0; i < inputs32.size(); ++i) {
      const RefTensor& g = c.grads[i];
      if (g.kind == RefKind::none || !inputs32[i].grad().defined()) continue;
      EXPECT_EQ(inputs32[i].grad().dtype(), DType::f32);
      EXPECT_TRUE(tensor_near(inputs32[i].grad(), g.shape, g.values, kGradRtol32, kGradAtol32))
          << "gradient of input " << i << ", float32";
    }
  }
  for (const auto& [variant, unused] : variants)
    EXPECT_TRUE(covered.count(variant)) << "no reference case " << op << " / " << variant;
  EXPECT_FALSE(covered.empty()) << "no reference cases for " << op;
}

}  // namespace dagrad::testing

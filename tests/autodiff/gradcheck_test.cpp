// The public gradcheck: passes on correct derivatives, and on a wrong one reports the input,
// the element, both values, the errors and the op at fault.
#include <gtest/gtest.h>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/gradcheck.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/ops.hpp>

namespace dagrad {
namespace {

// softplus(x) = log(1 + e^x) with a derivative that is deliberately wrong when `wrong`.
OpDef softplus_def(const std::string& name, bool wrong) {
  OpDef op;
  op.name = name;
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return TensorMeta{in[0].shape(), in[0].dtype()};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) { return log(exp(in[0]) + 1.0); };
  op.vjp = [wrong](const VjpArgs& a) {
    const Tensor d = wrong ? a.output : sigmoid(a.inputs[0]);  // σ is softplus' derivative
    return std::vector<Tensor>{mul(a.grad_output, d)};
  };
  return op;
}

TEST(Gradcheck, PassesForACompositeOfBuiltIns) {
  const std::vector<Tensor> in{randn({2, 3}, 1, DType::f64), randn({3, 4}, 2, DType::f64)};
  const auto r = gradcheck(
      [](std::span<const Tensor> x) {
        return mul(softmax(matmul(x[0], x[1])), randn({2, 4}, 3, DType::f64));
      },
      in);
  EXPECT_TRUE(r.ok) << r.report;
  EXPECT_NE(r.report.find("passed"), std::string::npos);
}

TEST(Gradcheck, ReportsTheFaultAndTheNearestOp) {
  static const OpDef& bad = registry().add(softplus_def("test_bad_softplus", true));
  const std::vector<Tensor> in{randn({2, 3}, 4, DType::f64)};
  const auto r =
      gradcheck([](std::span<const Tensor> x) { return tanh(apply(bad, {sigmoid(x[0])})); }, in);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.worst.input, 0u);
  EXPECT_GT(r.worst.abs_error, 1e-3);
  EXPECT_NE(r.worst.analytic, r.worst.numeric);
  EXPECT_NE(r.nearest_op.find("test_bad_softplus"), std::string::npos) << r.nearest_op;
  for (const char* part : {"analytic", "numeric", "abs error", "rel error", "input 0", "[2,3]"})
    EXPECT_NE(r.report.find(part), std::string::npos) << part << " missing from: " << r.report;
}

TEST(Gradcheck, CheckedRegistrationRejectsAWrongDerivative) {
  try {
    register_op_checked(softplus_def("test_rejected_softplus", true));
    FAIL() << "a wrong derivative was accepted";
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("test_rejected_softplus"), std::string::npos) << e.what();
  }
  EXPECT_EQ(registry().find("test_rejected_softplus"), nullptr);
  const OpDef& good = register_op_checked(softplus_def("test_good_softplus", false));
  EXPECT_EQ(registry().find("test_good_softplus"), &good);
}

TEST(Gradcheck, IntegerInputsPassThrough) {
  const Tensor labels = Tensor::from_values({3}, std::vector<std::int64_t>{2, 0, 1});
  const std::vector<Tensor> in{randn({3, 4}, 5, DType::f64), labels};
  const auto r = gradcheck([](std::span<const Tensor> x) { return cross_entropy(x[0], x[1]); }, in);
  EXPECT_TRUE(r.ok) << r.report;
}

}  // namespace
}  // namespace dagrad

// register_op as a debug build of the caller sees it: this file is compiled without NDEBUG
// (tests/CMakeLists.txt), so plain register_op gradchecks the op before accepting it. Every
// preset defines NDEBUG, so without this file that path would never be compiled.
#ifdef NDEBUG
#error "register_op_debug_test.cpp must be compiled without NDEBUG (see tests/CMakeLists.txt)"
#endif

#include <string>

#include <gtest/gtest.h>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/ops.hpp>

namespace dagrad {
namespace {

// cube(x) = x³, whose derivative 3x² is deliberately given as 2x² when `wrong`.
OpDef cube_def(const std::string& name, bool wrong) {
  OpDef op;
  op.name = name;
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return TensorMeta{in[0].shape(), in[0].dtype()};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return mul(mul(in[0], in[0]), in[0]);
  };
  op.vjp = [wrong](const VjpArgs& a) {
    const Tensor& x = a.inputs[0];
    return std::vector<Tensor>{mul(a.grad_output, mul(mul(x, x), wrong ? 2.0 : 3.0))};
  };
  return op;
}

TEST(RegisterOpDebug, AWrongDerivativeIsRejectedWithTheGradcheckReport) {
  try {
    register_op(cube_def("test_debug_wrong_cube", true));
    FAIL() << "register_op accepted a wrong derivative in a debug build";
  } catch (const GraphError& e) {
    const std::string what = e.what();
    for (const char* part :
         {"register_op", "test_debug_wrong_cube", "disagrees with finite", "gradcheck failed",
          "input 0", "analytic", "numeric", "abs error", "rel error", "[2,3]"})
      EXPECT_NE(what.find(part), std::string::npos) << part << " missing from: " << what;
  }
  EXPECT_EQ(registry().find("test_debug_wrong_cube"), nullptr) << "a rejected op stays out";
}

TEST(RegisterOpDebug, ARightDerivativeRegistersAndWorks) {
  const OpDef& cube = register_op(cube_def("test_debug_cube", false));
  EXPECT_EQ(registry().find("test_debug_cube"), &cube);
  Tensor x = tensor({2.0, -1.0}, DType::f64).set_requires_grad();
  sum(apply(cube, {x})).backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<double>{12.0, 3.0}));
}

}  // namespace
}  // namespace dagrad

// grad(EXPR, NAME) in the tool's language (differentiable, to any order) and `dagrad gradcheck`:
// values against derivatives worked out by hand here, exit codes and reports, user-registered
// ops checked in-process through run_gradcheck.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <dagrad/dagrad.hpp>

#include <dagrad/examples/custom_op/user_ops.hpp>
#include "commands.hpp"
#include "tools/support/run_tool.hpp"

namespace dagrad::testing {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;

Json eval_json(std::vector<std::string> args) {
  args.insert(args.begin(), "eval");
  args.push_back("--json");
  const ToolResult r = run_tool(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  try {
    return Json::parse(r.out);
  } catch (const Json::exception&) {
    ADD_FAILURE() << "not JSON: " << r.out;
    return Json::object();
  }
}

// tanh' = 1 − t², tanh'' = −2t(1 − t²).
double tanh1(double x) {
  return 1 - std::tanh(x) * std::tanh(x);
}
double tanh2(double x) {
  return -2 * std::tanh(x) * tanh1(x);
}

TEST(CliGrad, IssueExampleSecondDerivativeOfTanhInFloat32) {
  // The issue's command as written (default dtype float32).
  const Json j =
      eval_json({"-e", "sum(grad(sum(tanh(x)), x))", "--input", "x=[[0.5,-1]]", "--grad", "x"});
  expect_near_all(j["value"], {tanh1(0.5) + tanh1(-1)}, 1e-6);
  EXPECT_EQ(nested_shape(j["grads"]["x"]), (Shape{1, 2}));
  expect_near_all(j["grads"]["x"], {tanh2(0.5), tanh2(-1)}, 1e-6);
}

TEST(CliGrad, FirstDerivativeIsReturnedWithTheInputsShape) {
  const Json j = eval_json(
      {"-e", "grad(sum(x * x * x), x)", "--input", "x=[[1,-2],[0.5,3]]", "--dtype", "float64"});
  EXPECT_EQ(nested_shape(j["value"]), (Shape{2, 2}));
  expect_near_all(j["value"], {3, 12, 0.75, 27}, 1e-14);
}

TEST(CliGrad, ThirdDerivativeOfACubeIsSix) {
  // d³/dx³ x³ = 6 wherever x is; d⁴ of it (through --grad) is 0.
  const Json j = eval_json({"-e",
                            "g1 = grad(sum(x * x * x), x)\n"
                            "g2 = grad(sum(g1), x)\n"
                            "grad(sum(g2), x)",
                            "--input", "x=[0.3, -2, 5]", "--dtype", "float64", "--grad", "x"});
  expect_near_all(j["value"], {6, 6, 6}, 1e-13);
  expect_near_all(j["grads"]["x"], {0, 0, 0}, 1e-13);
}

TEST(CliGrad, GradientWithRespectToABoundName) {
  // h = x·W; d sum(sigmoid(h)) / d h = σ(h)(1 − σ(h)).
  const Json j = eval_json({"-e", "h = x @ W; grad(sum(sigmoid(h)), h)", "--input", "x=[[1, 2]]",
                            "--input", "W=[[0.5], [-0.25]]", "--dtype", "float64"});
  const double h = 1 * 0.5 + 2 * -0.25, s = 1 / (1 + std::exp(-h));
  expect_near_all(j["value"], {s * (1 - s)}, 1e-14);
  // A name bound to a constant is differentiable too: d(c·c)/dc = 2c.
  expect_near_all(eval_json({"-e", "c = 3; grad(c * c, c)", "--dtype", "float64"})["value"], {6},
                  1e-14);
}

TEST(CliGrad, GradientPenaltyDifferentiatesWithRespectToWeights) {
  // P(W) = ‖∇ₓ tanh(x·w)‖² = (1 − t²)² ‖w‖² for one row x and a column w, t = tanh(x·w).
  // dP/dw_k = 2(1 − t²)²·w_k + ‖w‖²·2(1 − t²)·(−2t(1 − t²))·x_k.
  const std::vector<double> x{0.4, -0.7}, w{0.9, 0.3};
  const double z = x[0] * w[0] + x[1] * w[1], t = std::tanh(z), d = 1 - t * t;
  const double ww = w[0] * w[0] + w[1] * w[1];
  const Json j =
      eval_json({"-e", "sum(square(grad(sum(tanh(x @ W)), x)))", "--input", "x=[[0.4, -0.7]]",
                 "--input", "W=[[0.9], [0.3]]", "--dtype", "float64", "--grad", "W"});
  expect_near_all(j["value"], {d * d * ww}, 1e-14);
  std::vector<double> want;
  for (int k = 0; k < 2; ++k) want.push_back(2 * d * d * w[k] + ww * 2 * d * (-2 * t * d) * x[k]);
  expect_near_all(j["grads"]["W"], want, 1e-13);
}

TEST(CliGrad, AnExpressionThatDoesNotDependOnTheNameHasAZeroGradient) {
  const Json j =
      eval_json({"-e", "grad(sum(y * 2), x)", "--input", "x=[[1, 2, 3]]", "--input", "y=[4]"});
  EXPECT_EQ(nested_shape(j["value"]), (Shape{1, 3}));
  expect_near_all(j["value"], {0, 0, 0}, 0);
}

TEST(CliGrad, MisuseIsAnErrorNamingGrad) {
  struct Case {
    std::string expr;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"grad(x * 2, x)", 1, "grad: the expression must be a scalar (sum it first), got shape [2]"},
      {"grad(sum(x))", 1, "grad: takes 2 arguments, grad(EXPR, NAME), got 1"},
      {"grad(sum(x), x * 1)", 1, "grad: the second argument must be a name"},
      {"grad(sum(x), x, axis=0)", 1, "grad: takes no keyword arguments, got 'axis'"},
      {"grad(sum(x), z)", 1, "unknown name 'z'"},
      {"grad(sum(x), x", 2, "expected ',' or ')'"},
  };
  for (const Case& c : cases) {
    const ToolResult r = run_tool({"eval", "-e", c.expr, "--input", "x=[1, 2]"});
    EXPECT_EQ(r.exit_code, c.exit_code) << c.expr << "\n" << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message)) << c.expr;
    EXPECT_EQ(r.out, "") << c.expr;
  }
}

TEST(CliGrad, DotDrawsTheGraphOfTheGradient) {
  const ToolResult r =
      run_tool({"dot", "-e", "sum(grad(sum(tanh(x)), x))", "--input", "x=[[0.5, -1]]"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("digraph"));
  EXPECT_THAT(r.out, HasSubstr("tanh"));
  EXPECT_THAT(r.out, HasSubstr("mul"));  // the recorded backward: g·(1 − t²) and its parts
}

// ---- dagrad gradcheck ----------------------------------------------------------------------

TEST(CliGradcheck, PassesADenseLayerWithRandomInputs) {
  const ToolResult r =
      run_tool({"gradcheck", "-e", "sum(softmax(x @ W + b) * c)", "--shape", "x=2x3", "--shape",
                "W=3x4", "--shape", "b=1x4", "--shape", "c=2x4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("gradcheck passed"));
  EXPECT_THAT(r.out, HasSubstr("4 inputs, 30 elements x 1 outputs"));
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

TEST(CliGradcheck, HoldsLabelsFixedAndChecksANonScalarOutput) {
  const ToolResult r = run_tool({"gradcheck", "-e", "z = x @ W; cross_entropy(z, y) * tanh(z)",
                                 "--shape", "x=2x3", "--shape", "W=3x4", "--input", "y=[3, 0]"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 inputs, 18 elements x 8 outputs"));
}

TEST(CliGradcheck, ChecksSecondDerivatives) {
  const ToolResult r = run_tool({"gradcheck", "-e", "sum(square(grad(sum(sigmoid(x @ W)), x)))",
                                 "--shape", "x=2x3", "--shape", "W=3x2", "--seed", "7"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("gradcheck passed"));
}

TEST(CliGradcheck, ReluAtItsKinkFailsWithAReport) {
  // At 0 relu's derivative is 0 (as PyTorch) while the central difference sees 1/2.
  const ToolResult r = run_tool({"gradcheck", "-e", "sum(relu(x))", "--input", "x=[[1, 0, -1]]"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out, "");
  for (const char* part : {"gradcheck failed", "d input 0[1]", "analytic 0", "numeric 0.5",
                           "nearest op at fault: relu", "input 0 is 'x'"})
    EXPECT_THAT(r.err, HasSubstr(part));
}

TEST(CliGradcheck, ToleranceOptions) {
  // The relu kink passes once the tolerance covers the 1/2 disagreement.
  EXPECT_EQ(
      run_tool({"gradcheck", "-e", "sum(relu(x))", "--input", "x=[0]", "--atol", "0.6"}).exit_code,
      0);
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--eps", "0"},
                                              {"--eps", "-1"},
                                              {"--atol", "-1"},
                                              {"--rtol", "nan"}}) {
    std::vector<std::string> args{"gradcheck", "-e", "sum(x)", "--input", "x=[1]"};
    args.insert(args.end(), bad.begin(), bad.end());
    const ToolResult r = run_tool(args);
    EXPECT_EQ(r.exit_code, 2) << bad[0] << " " << bad[1];
    EXPECT_THAT(r.err, HasSubstr(bad[0]));
  }
  // gradcheck always runs in float64: there is no --dtype.
  EXPECT_EQ(
      run_tool({"gradcheck", "-e", "sum(x)", "--input", "x=[1]", "--dtype", "float32"}).exit_code,
      2);
}

TEST(CliGradcheck, NothingToCheckWithoutFloatingInputs) {
  const ToolResult r = run_tool({"gradcheck", "-e", "2 * 3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("nothing to check"));
}

TEST(CliGradcheck, ProgramErrorsAreReportedAsByEval) {
  const ToolResult r =
      run_tool({"gradcheck", "-e", "x @ W", "--shape", "x=2x3", "--shape", "W=4x5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("matmul"));
  EXPECT_THAT(r.err, HasSubstr("^"));
}

// In-process: ops registered by the user are callable and checked like built-in ones.
int gradcheck_in_process(const std::string& expr, std::string& out, std::string& err) {
  cli::GradcheckCommandOptions options;
  options.expr = expr;
  options.inputs.shapes = {"x=3x2"};
  std::ostringstream o, e;
  const int code = cli::run_gradcheck(options, o, e);
  out = o.str();
  err = e.str();
  return code;
}

TEST(CliGradcheck, UserRegisteredOpsPass) {
  static const bool registered = [] {
    register_op(user_ops::softplus_def());
    register_op(user_ops::swish_def());
    return true;
  }();
  ASSERT_TRUE(registered);
  std::string out, err;
  EXPECT_EQ(gradcheck_in_process("sum(softplus(x) * swish(x))", out, err), 0) << err;
  EXPECT_THAT(out, HasSubstr("gradcheck passed"));
}

TEST(CliGradcheck, AUserOpWithAWrongDerivativeIsNamed) {
  // x² whose derivative forgot the factor 2.
  static const bool registered = [] {
    OpDef d;
    d.name = "cli_test_half_square";
    d.infer = [](std::span<const Tensor> in, const Attrs&) {
      return TensorMeta{in[0].shape(), in[0].dtype()};
    };
    d.forward = [](std::span<const Tensor> in, const Attrs&) { return in[0] * in[0]; };
    d.vjp = [](const VjpArgs& a) { return std::vector<Tensor>{a.grad_output * a.inputs[0]}; };
    registry().add(std::move(d));  // unchecked: it is wrong on purpose
    return true;
  }();
  ASSERT_TRUE(registered);
  std::string out, err;
  EXPECT_EQ(gradcheck_in_process("sum(tanh(cli_test_half_square(x)))", out, err), 1);
  EXPECT_EQ(out, "");
  EXPECT_THAT(err, HasSubstr("gradcheck failed"));
  EXPECT_THAT(err, HasSubstr("nearest op at fault: cli_test_half_square"));
}

}  // namespace
}  // namespace dagrad::testing

// dagrad eval, run as a program: values and gradients against numbers computed here by hand
// (float64), names shared and rebound, inputs in every form, long and deep programs.
#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tools/support/run_tool.hpp"

namespace dagrad::testing {
namespace {

using Json = nlohmann::json;

// Runs eval with --json --dtype float64 and returns the parsed object (failing the test when
// the tool fails).
Json eval_json(std::vector<std::string> args, const std::string& stdin_text = {}) {
  args.insert(args.begin(), "eval");
  args.push_back("--json");
  args.push_back("--dtype");
  args.push_back("float64");
  const ToolResult r = run_tool(args, stdin_text);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  try {
    return Json::parse(r.out);
  } catch (const Json::exception& e) {
    ADD_FAILURE() << "not JSON: " << r.out;
    return Json::object();
  }
}

void expect_values(const Json& got, const Shape& shape, const std::vector<double>& want,
                   double tol = 1e-12) {
  EXPECT_EQ(nested_shape(got), shape) << got.dump();
  const std::vector<double> v = flat_values(got);
  ASSERT_EQ(v.size(), want.size()) << got.dump();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(v[i])) << "element " << i;
    } else if (std::isinf(want[i])) {
      EXPECT_EQ(v[i], want[i]) << "element " << i;
    } else {
      EXPECT_NEAR(v[i], want[i], tol * (1 + std::abs(want[i]))) << "element " << i;
    }
  }
}

double scalar_of(const Json& j) {
  return flat_values(j["value"]).at(0);
}

TEST(CliEval, IssueExampleCrossEntropyOfADenseLayer) {
  const Json j = eval_json({"-e", "cross_entropy(x @ W + b, y)", "--input", "x=[[1,2]]", "--input",
                            "W=[[0.1,0.2,0.3],[0.4,0.5,0.6]]", "--input", "b=[[0,0,0]]", "--input",
                            "y=[2]", "--grad", "all"});
  const double x[2] = {1, 2};
  const double W[2][3] = {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}};
  double z[3], p[3], total = 0;
  for (int k = 0; k < 3; ++k) {
    z[k] = x[0] * W[0][k] + x[1] * W[1][k];
    total += std::exp(z[k]);
  }
  for (int k = 0; k < 3; ++k) p[k] = std::exp(z[k]) / total;
  const double dz[3] = {p[0], p[1], p[2] - 1};  // softmax − one-hot(2), batch of 1
  EXPECT_EQ(j["shape"], Json::array());
  EXPECT_NEAR(scalar_of(j), -std::log(p[2]), 1e-14);
  expect_values(j["grads"]["b"], {1, 3}, {dz[0], dz[1], dz[2]});
  expect_values(
      j["grads"]["W"], {2, 3},
      {x[0] * dz[0], x[0] * dz[1], x[0] * dz[2], x[1] * dz[0], x[1] * dz[1], x[1] * dz[2]});
  expect_values(j["grads"]["x"], {1, 2},
                {W[0][0] * dz[0] + W[0][1] * dz[1] + W[0][2] * dz[2],
                 W[1][0] * dz[0] + W[1][1] * dz[1] + W[1][2] * dz[2]});
  // Labels have no gradient, so "all" leaves y out; nothing else is in the object.
  EXPECT_FALSE(j["grads"].contains("y"));
  EXPECT_EQ(j.size(), 3u);
}

TEST(CliEval, CrossEntropyAveragesOverTheBatch) {
  const Json j = eval_json({"-e", "cross_entropy(z, y)", "--input", "z=[[1,2,3],[0,0,1]]",
                            "--input", "y=[0,2]", "--grad", "z"});
  const double z[2][3] = {{1, 2, 3}, {0, 0, 1}};
  const int y[2] = {0, 2};
  double loss = 0;
  std::vector<double> grad;
  for (int b = 0; b < 2; ++b) {
    double total = 0;
    for (double v : z[b]) total += std::exp(v);
    loss -= std::log(std::exp(z[b][y[b]]) / total) / 2;
    for (int k = 0; k < 3; ++k) grad.push_back((std::exp(z[b][k]) / total - (k == y[b])) / 2);
  }
  EXPECT_NEAR(scalar_of(j), loss, 1e-14);
  expect_values(j["grads"]["z"], {2, 3}, grad);
}

TEST(CliEval, NonScalarOutputGivesGradientsOfItsSum) {
  // sigmoid(x @ W + b) is [1,3]; d sum(s) / dW[i][j] = x[i] s[j] (1 − s[j]).
  const Json j =
      eval_json({"-e", "sigmoid(x @ W + b)", "--input", "x=[[1,-2]]", "--input",
                 "W=[[0.5,-1,2],[0.25,0,-0.5]]", "--input", "b=[[0.1,0.2,0.3]]", "--grad", "W,b"});
  const double x[2] = {1, -2};
  const double W[2][3] = {{0.5, -1, 2}, {0.25, 0, -0.5}};
  const double b[3] = {0.1, 0.2, 0.3};
  std::vector<double> s, ds, dW;
  for (int k = 0; k < 3; ++k) {
    const double z = x[0] * W[0][k] + x[1] * W[1][k] + b[k];
    s.push_back(1 / (1 + std::exp(-z)));
    ds.push_back(s[k] * (1 - s[k]));
  }
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 3; ++k) dW.push_back(x[i] * ds[k]);
  EXPECT_EQ(j["shape"], Json::parse("[1, 3]"));
  expect_values(j["value"], {1, 3}, s);
  expect_values(j["grads"]["W"], {2, 3}, dW);
  expect_values(j["grads"]["b"], {1, 3}, ds);
}

TEST(CliEval, RebindingANameExtendsTheChain) {
  // y = x²; y = x² + x: d sum(y)/dx = 2x + 1.
  const Json j =
      eval_json({"-e", "y = x * x; y = y + x; sum(y)", "--input", "x=[1,-2,0.5]", "--grad", "x"});
  EXPECT_DOUBLE_EQ(scalar_of(j), 1 + 4 + 0.25 + 1 - 2 + 0.5);
  expect_values(j["grads"]["x"], {3}, {3, -3, 2});
}

TEST(CliEval, BoundNameIsOneNodeInADiamond) {
  // h = 2x feeds both branches: f = h²·(h + 3), df/dx = 2(3h² + 6h).
  const Json j = eval_json({"-e", "h = x * 2\na = h * h\nb = h + 3\nsum(a * b)", "--input",
                            "x=[1,-1.5]", "--grad", "x"});
  double f = 0;
  std::vector<double> g;
  for (double x : {1.0, -1.5}) {
    const double h = 2 * x;
    f += h * h * (h + 3);
    g.push_back(2 * (3 * h * h + 6 * h));
  }
  EXPECT_NEAR(scalar_of(j), f, 1e-12);
  expect_values(j["grads"]["x"], {2}, g);
}

TEST(CliEval, SharedWeightGetsBothContributions) {
  // S = sum(x W W): dS/dW[a][b] = x[a]·Σ_k W[b][k] + (xW)[a].
  const Json j = eval_json({"-e", "h = x @ W; sum(h @ W)", "--input", "x=[[1,2]]", "--input",
                            "W=[[1,2],[3,4]]", "--grad", "W"});
  const double x[2] = {1, 2};
  const double W[2][2] = {{1, 2}, {3, 4}};
  const double u[2] = {x[0] * W[0][0] + x[1] * W[1][0], x[0] * W[0][1] + x[1] * W[1][1]};
  std::vector<double> g;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) g.push_back(x[a] * (W[b][0] + W[b][1]) + u[a]);
  EXPECT_DOUBLE_EQ(scalar_of(j), u[0] * (W[0][0] + W[0][1]) + u[1] * (W[1][0] + W[1][1]));
  expect_values(j["grads"]["W"], {2, 2}, g);
}

TEST(CliEval, GradientOfAnUnusedInputIsZero) {
  const Json j =
      eval_json({"-e", "sum(x)", "--input", "x=[1,2]", "--input", "u=[[1,2,3]]", "--grad", "all"});
  expect_values(j["grads"]["x"], {2}, {1, 1});
  expect_values(j["grads"]["u"], {1, 3}, {0, 0, 0});
}

TEST(CliEval, GradientsAreListedInTheOrderAsked) {
  const ToolResult r = run_tool({"eval", "-e", "sum(a * b)", "--input", "a=[1]", "--input", "b=[2]",
                                 "--grad", "b", "--grad", "a,b", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"shape\": [], \"value\": 2, \"grads\": {\"b\": [1], \"a\": [2]}}\n");
}

struct PrecedenceCase {
  const char* expr;
  double want;
};

TEST(CliEval, PrecedenceAndAssociativityAsInPython) {
  const PrecedenceCase cases[] = {
      {"1 + 2 * 3", 7},        {"2 - 3 - 4", -5},       {"8 / 4 / 2", 1}, {"-2 * 3 + 1", -5},
      {"2 * -3", -6},          {"-(1 + 2) * 2", -6},    {"- - 3", 3},     {"(1 + 2) * 3", 9},
      {"10 - 2 * 3 / 4", 8.5}, {"1e1 + .5 + 2.", 12.5}, {"2 - -2", 4},    {"-x * x", -9},
  };
  for (const auto& c : cases) {
    const Json j = eval_json({"-e", c.expr, "--input", "x=3"});
    EXPECT_DOUBLE_EQ(scalar_of(j), c.want) << c.expr;
  }
}

TEST(CliEval, MatmulBindsTighterThanPlus) {
  // x + x @ W = x + (x W); (x + x) @ W would be [14, 20].
  const Json j =
      eval_json({"-e", "x + x @ W", "--input", "x=[[1,2]]", "--input", "W=[[1,2],[3,4]]"});
  expect_values(j["value"], {1, 2}, {1 + 7, 2 + 10});
  // and at the level of '*', grouping to the left: x @ W * 2 = (x W)·2.
  const Json k =
      eval_json({"-e", "x @ W * 2", "--input", "x=[[1,2]]", "--input", "W=[[1,2],[3,4]]"});
  expect_values(k["value"], {1, 2}, {14, 20});
}

TEST(CliEval, NumbersBroadcastAsScalars) {
  const Json j = eval_json({"-e", "x * 2 + 1", "--input", "x=[[1,2],[3,4]]", "--grad", "x"});
  expect_values(j["value"], {2, 2}, {3, 5, 7, 9});
  expect_values(j["grads"]["x"], {2, 2}, {2, 2, 2, 2});
}

TEST(CliEval, KeywordArguments) {
  const std::string x = "x=[[1,2,3],[4,5,6]]";
  expect_values(eval_json({"-e", "sum(x, axis=1)", "--input", x})["value"], {2}, {6, 15});
  expect_values(eval_json({"-e", "sum(x, axis=-2, keepdim=true)", "--input", x})["value"], {1, 3},
                {5, 7, 9});
  expect_values(eval_json({"-e", "mean(x, axis=[0, 1], keepdim=true)", "--input", x})["value"],
                {1, 1}, {3.5});
  expect_values(eval_json({"-e", "reshape(x, shape=[3, -1])", "--input", x})["value"], {3, 2},
                {1, 2, 3, 4, 5, 6});
  expect_values(eval_json({"-e", "transpose(x)", "--input", x})["value"], {3, 2},
                {1, 4, 2, 5, 3, 6});
  expect_values(eval_json({"-e", "pow(x, p=0.5)", "--input", "x=[4,9]"})["value"], {2}, {2, 3});
  // sum_to and broadcast_to take their target shape as a keyword too; the gradient of
  // broadcast_to sums back over the repeated axis.
  expect_values(eval_json({"-e", "sum_to(x, shape=[1, 3])", "--input", x})["value"], {1, 3},
                {5, 7, 9});
  const Json b = eval_json({"-e", "sum(broadcast_to(x, shape=[2, 2, 3]) * w)", "--input", x,
                            "--input", "w=[[[1,1,1],[1,1,1]],[[2,2,2],[2,2,2]]]", "--grad", "x"});
  expect_values(b["grads"]["x"], {2, 3}, {3, 3, 3, 3, 3, 3});
  const double e = std::exp(1.0);
  expect_values(eval_json({"-e", "softmax(x, axis=0)", "--input", "x=[[0,1],[1,1]]"})["value"],
                {2, 2}, {1 / (1 + e), 0.5, e / (1 + e), 0.5});
}

TEST(CliEval, LabelInputsBecomeInt64ForOneHotAndNllLoss) {
  expect_values(eval_json({"-e", "one_hot(y, num_classes=3)", "--input", "y=[2,0]"})["value"],
                {2, 3}, {0, 0, 1, 1, 0, 0});
  // nll_loss of log_softmax is cross_entropy; and a label input may also be used as a float.
  const Json j = eval_json({"-e", "nll_loss(log_softmax(z), y) + sum(y) * 0", "--input",
                            "z=[[1,2,3]]", "--input", "y=[1]"});
  const double total = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(scalar_of(j), -(2 - std::log(total)), 1e-14);
}

TEST(CliEval, ProgramFromAFileWithCommentsAndLineBreaksInsideParentheses) {
  const std::string path = scratch_file("program.dg",
                                        "# a dense layer\n"
                                        "h = x @ W   # [1,2]\n"
                                        "\n"
                                        "out = sum(h,\n"
                                        "          axis=1)\n"
                                        "out * 2\n");
  const Json j = eval_json({"-f", path, "--input", "x=[[1,1]]", "--input", "W=[[1,2],[3,4]]"});
  expect_values(j["value"], {1}, {20});
}

TEST(CliEval, ProgramFromStdin) {
  const Json j =
      eval_json({"-f", "-", "--input", "x=[1,2]", "--grad", "x"}, "y = x * x\ny = y + x\nsum(y)\n");
  EXPECT_DOUBLE_EQ(scalar_of(j), 2 + 6);
  expect_values(j["grads"]["x"], {2}, {3, 5});
}

TEST(CliEval, InputsFileAndCommandLineOverride) {
  const std::string path =
      scratch_file("inputs.json", R"({"a": [[1, 2]], "b": {"shape": [2, 1], "data": [3, 4]}})");
  const Json j = eval_json({"-e", "a @ b", "--inputs", path});
  expect_values(j["value"], {1, 1}, {11});
  const Json k = eval_json({"-e", "a @ b", "--inputs", path, "--input", "a=[[0, 1]]"});
  expect_values(k["value"], {1, 1}, {4});
}

TEST(CliEval, NonFiniteNumbersRoundTrip) {
  const ToolResult r = run_tool({"eval", "-e", "x * 1", "--input", R"(x=["nan", "inf", "-inf", 2])",
                                 "--dtype", "float64", "--json", "--grad", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"shape\": [4], \"value\": [\"nan\", \"inf\", \"-inf\", 2], \"grads\": {\"x\": [1, "
            "1, 1, 1]}}\n");
  // What the output writes, an input reads.
  const Json j = Json::parse(r.out);
  const Json again = eval_json({"-e", "x", "--input", "x=" + j["value"].dump()});
  expect_values(again["value"], {4}, {NAN, INFINITY, -INFINITY, 2});
  // Computed non-finite values are written the same way.
  const Json div = eval_json({"-e", "x / 0", "--input", "x=[1,-1,0]"});
  EXPECT_EQ(div["value"], Json::parse(R"(["inf", "-inf", "nan"])"));
}

TEST(CliEval, ZeroSizedInputFromShapeAndData) {
  const Json j = eval_json(
      {"-e", "sum(x * 2)", "--input", R"(x={"shape": [4, 0], "data": []})", "--grad", "x"});
  EXPECT_DOUBLE_EQ(scalar_of(j), 0);
  EXPECT_EQ(j["grads"]["x"], Json::parse("[[], [], [], []]"));
  const Json k = eval_json({"-e", "x + 1", "--input", R"(x={"shape": [4, 0], "data": []})"});
  EXPECT_EQ(k["shape"], Json::parse("[4, 0]"));
  EXPECT_EQ(k["value"], Json::parse("[[], [], [], []]"));
  const Json m = eval_json({"-e", "x + 1", "--input", R"(x={"shape": [0, 3], "data": []})"});
  EXPECT_EQ(m["shape"], Json::parse("[0, 3]"));
  EXPECT_EQ(m["value"], Json::array());
}

TEST(CliEval, ScalarAndNestedInputShapes) {
  EXPECT_EQ(eval_json({"-e", "x", "--input", "x=2.5"})["shape"], Json::array());
  EXPECT_EQ(eval_json({"-e", "x", "--input", "x=[[[1],[2]]]"})["shape"], Json::parse("[1,2,1]"));
  EXPECT_EQ(eval_json({"-e", "x", "--input", "x=[]"})["shape"], Json::parse("[0]"));
}

TEST(CliEval, Float64KeepsSeventeenDigitsAndFloat32Nine) {
  const ToolResult r64 = run_tool({"eval", "-e", "0.1 + 0.2", "--dtype", "float64", "--json"});
  EXPECT_EQ(r64.out, "{\"shape\": [], \"value\": 0.30000000000000004, \"grads\": {}}\n");
  const ToolResult r32 = run_tool({"eval", "-e", "0.1 + 0.2", "--json"});
  EXPECT_EQ(r32.out, "{\"shape\": [], \"value\": 0.300000012, \"grads\": {}}\n");
}

TEST(CliEval, TextOutputNamesShapeDtypeAndWhatTheGradientIsOf) {
  const ToolResult r = run_tool(
      {"eval", "-e", "x * 2", "--input", "x=[[1,2],[3,4]]", "--grad", "x", "--dtype", "float64"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "output [2,2] float64\n[[2, 4],\n [6, 8]]\n"
            "d sum(output) / d x [2,2]\n[[2, 2],\n [2, 2]]\n");
}

TEST(CliEval, ShapeInputsAreSeededAndRepeatable) {
  const std::vector<std::string> args = {"eval", "-e", "x", "--shape", "x=2x3", "--json"};
  const ToolResult a = run_tool(args);
  const ToolResult b = run_tool(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(nested_shape(Json::parse(a.out)["value"]), (Shape{2, 3}));
  std::vector<std::string> seeded = args;
  seeded.insert(seeded.end(), {"--seed", "7"});
  EXPECT_NE(run_tool(seeded).out, a.out);
}

TEST(CliEval, HundredThousandStatementChainFromAFile) {
  std::string program = "y = x\n";
  for (int i = 0; i < 100000; ++i) program += "y = y + c\n";
  program += "sum(y)\n";
  const std::string path = scratch_file("chain.dg", program);
  const Json j = eval_json({"-f", path, "--input", "x=[1,2]", "--input", "c=0.5", "--grad", "all"});
  EXPECT_DOUBLE_EQ(scalar_of(j), 3 + 2 * 100000 * 0.5);
  expect_values(j["grads"]["x"], {2}, {1, 1});
  expect_values(j["grads"]["c"], {}, {200000});
}

TEST(CliEval, DeepNestingNeedsNoStack) {
  // 100,000 nested calls and parentheses: the parser and evaluator use loops, not recursion.
  std::string program;
  for (int i = 0; i < 100000; ++i) program += "neg((";
  program += "x";
  for (int i = 0; i < 100000; ++i) program += "))";
  const std::string path = scratch_file("deep.dg", program);
  const Json j = eval_json({"-f", path, "--input", "x=3", "--grad", "x"});
  EXPECT_DOUBLE_EQ(scalar_of(j), 3);  // an even number of negations
  expect_values(j["grads"]["x"], {}, {1});
}

TEST(CliEval, LongExpressionInOneStatement) {
  std::string program = "x";
  for (int i = 0; i < 100000; ++i) program += " + x";
  const std::string path = scratch_file("wide.dg", program);
  const Json j = eval_json({"-f", path, "--input", "x=2", "--grad", "x"});
  EXPECT_DOUBLE_EQ(scalar_of(j), 2 * 100001);
  expect_values(j["grads"]["x"], {}, {100001});
}

}  // namespace
}  // namespace dagrad::testing

// Plugins of the built dagrad tool (--plugin, DAGRAD_PLUGINS): the example plugin's softplus
// called from programs, against values worked out here in float64 (so the op runs in the
// tool's own registry: a plugin with a registry of its own would leave "unknown op"), its label
// in the graph, its doc in the help, and each way a library can fail to load: exit 1 and a
// message naming it. The libraries' paths come from tests/tools/plugins/CMakeLists.txt.
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <dagrad/graph/render.hpp>

#include "plugins.hpp"
#include "tools/support/run_tool.hpp"

namespace dagrad::testing {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

#ifdef DAGRAD_SOFTPLUS_PLUGIN
const std::string kSoftplus = DAGRAD_SOFTPLUS_PLUGIN;
#else
const std::string kSoftplus;
#endif

#define REQUIRE_SOFTPLUS_PLUGIN() \
  if (kSoftplus.empty()) GTEST_SKIP() << "examples are not built (DAGRAD_BUILD_EXAMPLES=OFF)"

double softplus(double x, double beta = 1) {
  return std::log1p(std::exp(beta * x)) / beta;
}
double sigmoid(double x) {
  return 1 / (1 + std::exp(-x));
}

// Sets an environment variable for the tools run in one test (run_tool passes the environment).
class EnvGuard {
 public:
  EnvGuard(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~EnvGuard() { unsetenv(name_); }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* name_;
};

Json run_json(const std::vector<std::string>& args) {
  const ToolResult r = run_tool(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  try {
    return Json::parse(r.out);
  } catch (const Json::exception&) {
    ADD_FAILURE() << "not JSON: " << r.out << r.err;
    return Json::object();
  }
}

// Non-square, both signs, large |x| where a naive log(1 + e^x) would lose it.
const std::vector<double> kX = {-3, -0.5, 0, 0.25, 2, 30, -30, 1e-3};
const std::string kXJson = "x=[[-3, -0.5, 0, 0.25], [2, 30, -30, 1e-3]]";

TEST(CliPlugin, EvalCallsThePluginsOpWithValuesAndGradients) {
  REQUIRE_SOFTPLUS_PLUGIN();
  const Json j = run_json({"eval", "-e", "sum(softplus(x))", "--plugin", kSoftplus, "--input",
                           kXJson, "--grad", "all", "--json", "--dtype", "float64"});
  double total = 0;
  std::vector<double> grad;
  for (double x : kX) {
    total += softplus(x);
    grad.push_back(sigmoid(x));  // d softplus / dx = σ(x)
  }
  EXPECT_EQ(j["shape"], Json::array());
  expect_near_all(j["value"], {total}, 1e-15);
  EXPECT_EQ(nested_shape(j["grads"]["x"]), (Shape{2, 4}));
  expect_near_all(j["grads"]["x"], grad, 1e-15);
}

TEST(CliPlugin, KeywordBetaOfThePluginsOp) {
  // softplus(x, beta=2) = log(1 + e^(2x)) / 2, d/dx = σ(2x); the output is not a scalar, so the
  // gradient is that of its sum.
  REQUIRE_SOFTPLUS_PLUGIN();
  const Json j = run_json({"eval", "--plugin", kSoftplus, "-e", "softplus(x, beta=2)", "--input",
                           kXJson, "--grad", "x", "--json", "--dtype", "float64"});
  std::vector<double> value, grad;
  for (double x : kX) {
    value.push_back(softplus(x, 2));
    grad.push_back(sigmoid(2 * x));
  }
  EXPECT_EQ(nested_shape(j["value"]), (Shape{2, 4}));
  expect_near_all(j["value"], value, 1e-15);
  expect_near_all(j["grads"]["x"], grad, 1e-15);
}

TEST(CliPlugin, ThePluginsDerivativeIsDifferentiableAgain) {
  // The derivative is written with dagrad's ops: d/dx sum(σ(x)) = σ(x)(1 − σ(x)).
  REQUIRE_SOFTPLUS_PLUGIN();
  const Json j = run_json({"eval", "-e", "sum(grad(sum(softplus(x)), x))", "--plugin", kSoftplus,
                           "--input", kXJson, "--grad", "x", "--json", "--dtype", "float64"});
  double total = 0;
  std::vector<double> grad;
  for (double x : kX) {
    total += sigmoid(x);
    grad.push_back(sigmoid(x) * (1 - sigmoid(x)));
  }
  expect_near_all(j["value"], {total}, 1e-15);
  expect_near_all(j["grads"]["x"], grad, 1e-15);
}

TEST(CliPlugin, GradcheckPassesThroughThePluginsOp) {
  REQUIRE_SOFTPLUS_PLUGIN();
  const ToolResult r =
      run_tool({"gradcheck", "--plugin", kSoftplus, "-e", "sum(softplus(x @ W, beta=1.5) * c)",
                "--shape", "x=2x3", "--shape", "W=3x4", "--shape", "c=2x4"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("gradcheck passed"));
}

TEST(CliPlugin, WithoutThePluginTheOpIsUnknown) {
  const ToolResult r = run_tool({"eval", "-e", "softplus(x)", "--input", "x=[1]"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("unknown op 'softplus'"));
}

TEST(CliPlugin, PluginBeforeTheCommandsName) {
  REQUIRE_SOFTPLUS_PLUGIN();
  const Json j =
      run_json({"--plugin", kSoftplus, "eval", "-e", "softplus(x)", "--input", "x=[0]", "--json"});
  expect_near_all(j["value"], {std::log(2.0)}, 1e-7);
}

TEST(CliPlugin, PluginsFromTheEnvironment) {
  REQUIRE_SOFTPLUS_PLUGIN();
  EnvGuard env("DAGRAD_PLUGINS", "::" + kSoftplus + ":");  // empty entries are skipped
  const Json j = run_json({"eval", "-e", "softplus(x)", "--input", "x=[0]", "--json"});
  expect_near_all(j["value"], {std::log(2.0)}, 1e-7);
}

TEST(CliPlugin, TheSameLibraryTwiceRegistersItsOpsOnce) {
  // Given twice on the command line and once more in the environment: loaded once, no
  // "already registered".
  REQUIRE_SOFTPLUS_PLUGIN();
  EnvGuard env("DAGRAD_PLUGINS", kSoftplus);
  const Json j = run_json({"--plugin", kSoftplus, "eval", "--plugin", kSoftplus, "-e",
                           "softplus(x)", "--input", "x=[0]", "--json"});
  expect_near_all(j["value"], {std::log(2.0)}, 1e-7);
}

TEST(CliPlugin, DotShowsThePluginsLabel) {
  REQUIRE_SOFTPLUS_PLUGIN();
  const ToolResult r =
      run_tool({"dot", "--plugin", kSoftplus, "-e", "h = softplus(x @ W, beta=2); sum(softplus(h))",
                "--shape", "x=2x3", "--shape", "W=3x4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("softplus(β=2)"));  // the op's own label, with its attribute
  EXPECT_THAT(r.out, HasSubstr("\"softplus\\n"));  // and without one: its name
  EXPECT_NO_THROW(graph::validate_dot(r.out));
}

TEST(CliPlugin, HelpMentionsPluginsAndListsThePluginsOps) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"eval", "--help"}, {"dot", "--help"}, {"gradcheck", "--help"}}) {
    const ToolResult r = run_tool(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const char* part : {"--plugin", "DAGRAD_PLUGINS", "PLUGINS", "dagrad_register_ops",
                             "-fPIC -shared", "linking libdagrad"})
      EXPECT_THAT(r.out, HasSubstr(part)) << args[0];
    EXPECT_THAT(r.out, Not(HasSubstr("  softplus(")));
  }
  REQUIRE_SOFTPLUS_PLUGIN();
  const ToolResult r = run_tool({"eval", "--plugin", kSoftplus, "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  softplus(x, beta=)"));
  EXPECT_THAT(r.out, HasSubstr("log(1 + exp(beta * x)) / beta"));
}

// Each failure: exit 1, nothing on stdout, no crash, the message naming the library.
ToolResult expect_plugin_failure(const std::vector<std::string>& args, const std::string& message) {
  const ToolResult r = run_tool(args);
  EXPECT_EQ(r.signal, 0) << r.err;
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith(message));
  EXPECT_THAT(r.err, Not(HasSubstr("terminate called")));
  return r;
}

const std::vector<std::string> kProgram = {"-e", "sum(x)", "--input", "x=[1]"};

std::vector<std::string> eval_with_plugin(const std::string& path) {
  std::vector<std::string> args = {"eval", "--plugin", path};
  args.insert(args.end(), kProgram.begin(), kProgram.end());
  return args;
}

TEST(CliPluginErrors, MissingFile) {
  const std::string path = scratch_path("no_such_plugin.so");
  const ToolResult r = expect_plugin_failure(eval_with_plugin(path),
                                             "dagrad: plugin '" + path + "': cannot open: " + path);
  EXPECT_THAT(r.err, HasSubstr("No such file or directory"));
  // A bare file name is a file in the working directory, not a search of the library path.
  expect_plugin_failure(eval_with_plugin("libm.so.6"),
                        "dagrad: plugin 'libm.so.6': cannot open: ./libm.so.6");
}

TEST(CliPluginErrors, NotASharedLibrary) {
  const std::string path = scratch_file("text_plugin.so", "not an ELF file\n");
  expect_plugin_failure(eval_with_plugin(path), "dagrad: plugin '" + path + "': cannot open: ");
  expect_plugin_failure(eval_with_plugin("/tmp"), "dagrad: plugin '/tmp': cannot open: ");
}

TEST(CliPluginErrors, NoEntryPoint) {
  const std::string path = DAGRAD_TEST_PLUGIN_NO_ENTRY_POINT;
  expect_plugin_failure(eval_with_plugin(path),
                        "dagrad: plugin '" + path +
                            "': no entry point 'dagrad_register_ops' (define extern \"C\" void "
                            "dagrad_register_ops(), declared in <dagrad/core/plugin.hpp>)\n");
}

TEST(CliPluginErrors, EntryPointThrows) {
  const std::string path = DAGRAD_TEST_PLUGIN_THROWING_ENTRY_POINT;
  expect_plugin_failure(eval_with_plugin(path),
                        "dagrad: plugin '" + path +
                            "': dagrad_register_ops() failed: throwing_entry_point: refusing to "
                            "register anything\n");
}

TEST(CliPluginErrors, NameAlreadyRegistered) {
  const std::string path = DAGRAD_TEST_PLUGIN_DUPLICATE_OP;
  expect_plugin_failure(eval_with_plugin(path),
                        "dagrad: plugin '" + path +
                            "': dagrad_register_ops() failed: register_op: an op named 'sigmoid' "
                            "is already registered\n");
}

TEST(CliPluginErrors, SymbolTheToolDoesNotHave) {
  const std::string path = DAGRAD_TEST_PLUGIN_UNDEFINED_SYMBOL;
  const ToolResult r =
      expect_plugin_failure(eval_with_plugin(path), "dagrad: plugin '" + path + "': cannot open: ");
  EXPECT_THAT(r.err, HasSubstr("undefined symbol"));
  EXPECT_THAT(r.err, HasSubstr("function_the_tool_does_not_have"));
}

TEST(CliPluginErrors, EveryCommandAndTheHelpLoadPlugins) {
  const std::string path = DAGRAD_TEST_PLUGIN_THROWING_ENTRY_POINT;
  const std::string message = "dagrad: plugin '" + path + "': dagrad_register_ops() failed";
  for (const char* command : {"eval", "dot", "gradcheck"}) {
    std::vector<std::string> args = {command, "--plugin", path};
    args.insert(args.end(), kProgram.begin(), kProgram.end());
    expect_plugin_failure(args, message);
  }
  expect_plugin_failure({"--plugin", path, "--help"}, message);
  expect_plugin_failure({"dot", "--help", "--plugin", path}, message);
}

TEST(CliPluginErrors, TheEnvironmentsPluginIsNamedAsSuch) {
  const std::string path = scratch_path("no_such_plugin.so");
  EnvGuard env("DAGRAD_PLUGINS", path);
  expect_plugin_failure({"eval", "-e", "sum(x)", "--input", "x=[1]"},
                        "dagrad: plugin '" + path + "' (from DAGRAD_PLUGINS): cannot open: ");
}

TEST(CliPluginErrors, PluginWithoutAPathIsAUsageError) {
  const ToolResult r = run_tool({"eval", "-e", "sum(x)", "--input", "x=[1]", "--plugin"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--plugin"));
}

TEST(CliPluginPaths, SplitsDagradPluginsOnColons) {
  using cli::split_plugin_paths;
  EXPECT_TRUE(split_plugin_paths(nullptr).empty());
  EXPECT_TRUE(split_plugin_paths("").empty());
  EXPECT_TRUE(split_plugin_paths(":::").empty());
  EXPECT_EQ(split_plugin_paths("a.so"), (std::vector<std::string>{"a.so"}));
  EXPECT_EQ(split_plugin_paths(":/x/a.so::b.so:"), (std::vector<std::string>{"/x/a.so", "b.so"}));
}

}  // namespace
}  // namespace dagrad::testing

// dagrad --help and each subcommand's --help: exit 0 and document the language, the inputs,
// the outputs and every registered op.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dagrad/core/registry.hpp>

#include "tools/support/run_tool.hpp"

namespace dagrad::testing {
namespace {

using ::testing::HasSubstr;

std::string help(const std::vector<std::string>& args) {
  const ToolResult r = run_tool(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(CliHelp, MainHelpListsCommandsLanguageOpsAndExitCodes) {
  const std::string text = help({"--help"});
  for (const char* part :
       {"eval", "dot", "PROGRAMS", "EXPRESSIONS", "INPUTS", "OPS", "EXIT CODES", "-f - reads stdin",
        "\"nan\", \"inf\" and \"-inf\"", "{\"shape\": [4, 0], \"data\": [...flat, row-major...]}",
        "cross_entropy and nll_loss", "unary '-' binds tighter"})
    EXPECT_THAT(text, HasSubstr(part));
  // Every built-in op, with its doc line (a fresh registry: other tests of this process may
  // have registered ops of their own, which the tool does not have).
  OpRegistry builtin;
  register_builtin_ops(builtin);
  for (const OpDef* op : builtin.all()) {
    EXPECT_THAT(text, HasSubstr("  " + op->name + "(")) << op->name;
    EXPECT_THAT(text, HasSubstr(op->doc)) << op->name;
  }
}

TEST(CliHelp, EvalHelpSaysGradientsAreOfTheSum) {
  const std::string text = help({"eval", "--help"});
  for (const char* part :
       {"--expr", "--file", "--input", "--inputs", "--shape", "--seed", "--grad", "--dtype",
        "--json", "SUM of", "\"grads\"", "cross_entropy(x @ W + b, y)", "OPS"})
    EXPECT_THAT(text, HasSubstr(part));
}

TEST(CliHelp, DotHelpDocumentsItsOptions) {
  const std::string text = help({"dot", "--help"});
  for (const char* part : {"--output", "--values", "--grads", "--rankdir", "--label", "--title",
                           "--no-legend", "--shape", "Graphviz", "OPS"})
    EXPECT_THAT(text, HasSubstr(part));
}

}  // namespace
}  // namespace dagrad::testing

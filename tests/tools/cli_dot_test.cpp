// dagrad dot, run as a program: DOT that Graphviz parses, labels of any text, the options, and
// rendered files.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dagrad/graph/render.hpp>

#include "tools/support/run_tool.hpp"

namespace dagrad::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::vector<std::string> kDense = {"dot",     "-e",      "h = x @ W + b; softmax(h)",
                                         "--shape", "x=1x2",   "--shape",
                                         "W=2x3",   "--shape", "b=1x3"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string dot_of(const std::vector<std::string>& args) {
  const ToolResult r = run_tool(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return r.out;
}

TEST(CliDot, WritesDotThatGraphvizParses) {
  const std::string dot = dot_of(kDense);
  EXPECT_THAT(dot, StartsWith("digraph"));
  for (const char* label : {"matmul", "add", "softmax", "\"x\\n", "\"W\\n", "\"b\\n"})
    EXPECT_THAT(dot, HasSubstr(label));
  EXPECT_NO_THROW(graph::validate_dot(dot));
}

TEST(CliDot, SameProgramSameBytes) {
  EXPECT_EQ(dot_of(kDense), dot_of(kDense));
}

TEST(CliDot, InputsFromJsonAndFromStdin) {
  const std::string dot = dot_of({"dot", "-e", "x * 2", "--input", "x=[[1,2]]"});
  EXPECT_THAT(dot, HasSubstr("mul"));
  const ToolResult r = run_tool({"dot", "-f", "-", "--input", "x=[[1,2]]"}, "y = x * 2\nsum(y)\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("mul"));
  EXPECT_THAT(r.out, HasSubstr("sum"));
}

TEST(CliDot, LabelTakesAnyText) {
  const std::string text = "say \"hi\"\nback\\slash {a|b} <c> größe";
  const std::string dot = dot_of(with(kDense, {"--label", "W=" + text}));
  EXPECT_THAT(dot, HasSubstr("say \\\"hi\\\"\\nback\\\\slash {a|b} <c> größe"));
  EXPECT_THAT(dot, Not(HasSubstr("\"W\\n")));
  EXPECT_NO_THROW(graph::validate_dot(dot));
}

TEST(CliDot, LabelNamesABoundTensorToo) {
  const std::string dot = dot_of(with(kDense, {"--label", "h=hidden"}));
  EXPECT_THAT(dot, HasSubstr("hidden = add"));
}

TEST(CliDot, LabelNamesAnInputUsedAsIntegerLabels) {
  // y reaches cross_entropy as its int64 copy; that copy is the vertex drawn.
  const std::string dot =
      dot_of({"dot", "-e", "cross_entropy(x @ W, y)", "--shape", "x=2x3", "--shape", "W=3x4",
              "--input", "y=[0,3]", "--label", "y=class labels"});
  EXPECT_THAT(dot, HasSubstr("class labels"));
  EXPECT_THAT(dot, Not(HasSubstr("\"y\\n")));
  EXPECT_NO_THROW(graph::validate_dot(dot));
}

TEST(CliDot, GradsRunBackwardAndValuesShowSummaries) {
  // Tooltips always carry the summaries; labels only when asked.
  const std::string plain = dot_of(kDense);
  EXPECT_THAT(plain, HasSubstr("label=\"x\\n[1,2] float32\""));
  EXPECT_THAT(plain, HasSubstr("grad: none"));
  const std::string dot = dot_of(with(kDense, {"--grads", "--values"}));
  EXPECT_THAT(dot, HasSubstr("label=\"x\\n[1,2] float32\\nvalue: [["));
  EXPECT_THAT(dot, HasSubstr("\\ngrad: [["));
  EXPECT_THAT(dot, Not(HasSubstr("grad: none")));
  EXPECT_NO_THROW(graph::validate_dot(dot));
}

TEST(CliDot, RankdirTitleAndLegend) {
  EXPECT_THAT(dot_of(with(kDense, {"--rankdir", "LR"})), HasSubstr("rankdir=LR"));
  EXPECT_THAT(dot_of(with(kDense, {"--title", "dense layer"})), HasSubstr("dense layer"));
  EXPECT_THAT(dot_of(kDense), HasSubstr("legend"));
  EXPECT_THAT(dot_of(with(kDense, {"--no-legend"})), Not(HasSubstr("legend")));
  const ToolResult r = run_tool(with(kDense, {"--rankdir", "XY"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--rankdir"));
}

TEST(CliDot, WritesDotAndRenderedFiles) {
  const std::string dot_path = scratch_path("dense.dot");
  ASSERT_EQ(run_tool(with(kDense, {"-o", dot_path})).exit_code, 0);
  EXPECT_EQ(read_text(dot_path), dot_of(kDense));

  const std::string svg_path = scratch_path("dense.svg");
  const ToolResult r = run_tool(with(kDense, {"-o", svg_path, "--grads"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(read_text(svg_path), HasSubstr("<svg"));

  const std::string png_path = scratch_path("dense.png");
  ASSERT_EQ(run_tool(with(kDense, {"-o", png_path})).exit_code, 0);
  EXPECT_THAT(read_text(png_path), StartsWith("\x89PNG"));

  const std::string pdf_path = scratch_path("dense.pdf");
  ASSERT_EQ(run_tool(with(kDense, {"-o", pdf_path})).exit_code, 0);
  EXPECT_THAT(read_text(pdf_path), StartsWith("%PDF"));
}

TEST(CliDot, BadOutputs) {
  const ToolResult ext = run_tool(with(kDense, {"-o", scratch_path("dense.txt")}));
  EXPECT_EQ(ext.exit_code, 2);
  EXPECT_THAT(ext.err, HasSubstr("must end in .dot, .svg, .png or .pdf"));
  const ToolResult dir = run_tool(with(kDense, {"-o", "/nonexistent/dir/dense.svg"}));
  EXPECT_EQ(dir.exit_code, 1);
  EXPECT_EQ(dir.signal, 0);
  EXPECT_THAT(dir.err, HasSubstr("dagrad: error:"));
}

TEST(CliDot, LabelOfAnUnknownNameIsAUsageError) {
  const ToolResult r = run_tool(with(kDense, {"--label", "q=text"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--label: 'q' is neither an input nor a name bound"));
}

TEST(CliDot, ProgramErrorsAsInEval) {
  const ToolResult syntax = run_tool({"dot", "-e", "x @", "--shape", "x=2"});
  EXPECT_EQ(syntax.exit_code, 2);
  EXPECT_THAT(syntax.err, HasSubstr("syntax error"));
  const ToolResult shape = run_tool({"dot", "-e", "x @ y", "--shape", "x=2x3", "--shape", "y=2x3"});
  EXPECT_EQ(shape.exit_code, 1);
  EXPECT_THAT(shape.err, HasSubstr("matmul: cannot multiply [2,3] by [2,3]"));
}

TEST(CliDot, HundredThousandStepChainRenders) {
  std::string program = "y = x\n";
  for (int i = 0; i < 100000; ++i) program += "y = tanh(y) * w\n";
  program += "sum(y)\n";
  const std::string path = scratch_file("chain_dot.dg", program);
  const std::string svg = scratch_path("chain.svg");
  const ToolResult r = run_tool({"dot", "-f", path, "--shape", "x=3", "--shape", "w=", "-o", svg});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(read_text(svg), HasSubstr("<svg"));
}

}  // namespace
}  // namespace dagrad::testing

// Bad input to the dagrad tool: each case's exit code (1: the program or its data failed, 2:
// usage or syntax) and message, and never a crash, an abort or an exception escaping.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/support/run_tool.hpp"

namespace dagrad::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Runs the tool and checks the common promises of a failure: the exit code, nothing on stdout,
// no sign of a crash, and the message.
ToolResult expect_failure(const std::vector<std::string>& args, int code,
                          const std::string& message, const std::string& stdin_text = {}) {
  const ToolResult r = run_tool(args, stdin_text);
  EXPECT_EQ(r.signal, 0) << r.err;
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(message));
  EXPECT_THAT(r.err, Not(HasSubstr("terminate called")));
  EXPECT_THAT(r.err, Not(HasSubstr("what():")));
  return r;
}

TEST(CliErrors, SyntaxErrorShowsTheLineWithACaretAndExits2) {
  const ToolResult r = expect_failure({"eval", "-e", "x @ W + * b"}, 2,
                                      "syntax error at line 1, column 9: expected an expression, "
                                      "got '*'");
  EXPECT_THAT(r.err, HasSubstr("  x @ W + * b\n          ^\n"));
}

TEST(CliErrors, SyntaxErrorOnALaterLineShowsThatLine) {
  const ToolResult r =
      expect_failure({"eval", "-f", "-"}, 2, "line 3, column 8: unexpected character '$'",
                     "a = x\nb = a * 2\nsum(b) $ 3\n");
  EXPECT_THAT(r.err, HasSubstr("  sum(b) $ 3\n         ^\n"));
}

TEST(CliErrors, CaretOnTheLineAfterAComment) {
  const ToolResult r = expect_failure({"eval", "-e", "# größe\nx ) 1"}, 2, "unmatched ')'");
  EXPECT_THAT(r.err, HasSubstr("line 2, column 3"));
  EXPECT_THAT(r.err, HasSubstr("  x ) 1\n    ^\n"));
}

TEST(CliErrors, SyntaxErrorCases) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"(x + 1", "expected ')' to close the '(' at line 1, column 1, got the end of the program"},
      {"sum(x, axis=)", "expected a keyword value"},
      {"sum(x, axis=1, 2)", "a positional argument cannot follow a keyword argument"},
      {"sum(x, axis=1, axis=0)", "keyword 'axis' is given twice"},
      {"x y", "expected ';' or a new line after the statement, got name 'y'"},
      {"x; y", "only the last statement is the output"},
      {"y = x", "the program must end with the output expression"},
      {"", "the program is empty"},
      {"1.5e", "malformed number"},
      {"2x", "malformed number '2x'"},
      {"f(x,,)", "expected an expression, got ','"},
  };
  for (const auto& [program, message] : cases) {
    SCOPED_TRACE(program);
    expect_failure({"eval", "-e", program, "--input", "x=1"}, 2, message);
  }
}

TEST(CliErrors, UnknownFunctionPrintsTheEnginesMessageAndExits1) {
  const ToolResult r = expect_failure({"eval", "-e", "2 * frobnicate(x)", "--input", "x=1"}, 1,
                                      "error: unknown op 'frobnicate'");
  EXPECT_THAT(r.err, HasSubstr("at line 1, column 5"));
}

TEST(CliErrors, UnknownNameExits1) {
  expect_failure({"eval", "-e", "y = x + z; y", "--input", "x=1"}, 1,
                 "unknown name 'z': not an input and not bound by an earlier statement");
  // A name is bound only from its statement on.
  expect_failure({"eval", "-e", "a = b; b = 1; a"}, 1, "unknown name 'b'");
}

TEST(CliErrors, ShapeMismatchPrintsTheEnginesMessageAndExits1) {
  const ToolResult r = expect_failure(
      {"eval", "-e", "x @ W", "--input", "x=[[1,2]]", "--input", "W=[[1,2,3],[4,5,6],[7,8,9]]"}, 1,
      "error: matmul: cannot multiply [1,2] by [3,3]");
  EXPECT_THAT(r.err, HasSubstr("  x @ W\n    ^\n"));
  expect_failure({"eval", "-e", "x + y", "--input", "x=[1,2]", "--input", "y=[1,2,3]"}, 1,
                 "add: cannot broadcast [2] with [3]");
}

TEST(CliErrors, BadKeywordAndArityExit1) {
  expect_failure({"eval", "-e", "sum(x, foo=1)", "--input", "x=[1]"}, 1,
                 "sum: unknown keyword 'foo' (it takes axis, keepdim)");
  expect_failure({"eval", "-e", "sigmoid(x, axis=0)", "--input", "x=[1]"}, 1,
                 "sigmoid: takes no keyword arguments, got 'axis'");
  expect_failure({"eval", "-e", "sigmoid(x, x)", "--input", "x=[1]"}, 1,
                 "sigmoid: expected 1 input(s), got 2");
}

TEST(CliErrors, LabelsOutOfRangeOrNotIntegers) {
  expect_failure({"eval", "-e", "cross_entropy(z, y)", "--input", "z=[[1,2]]", "--input", "y=[5]"},
                 1, "cross_entropy: label 5");
  expect_failure(
      {"eval", "-e", "cross_entropy(z, y)", "--input", "z=[[1,2]]", "--input", "y=[0.5]"}, 1,
      "input 'y': labels must be integers, got 0.5 at flat position 0");
}

TEST(CliErrors, MalformedJsonNamesTheInput) {
  expect_failure({"eval", "-e", "x + w", "--input", "x=[1]", "--input", "w=[1,"}, 1,
                 "input 'w': malformed JSON");
  expect_failure({"eval", "-e", "w", "--input", "w=[true]"}, 1,
                 "input 'w': expected a number (or \"nan\", \"inf\", \"-inf\"), got a boolean");
  expect_failure({"eval", "-e", "w", "--input", R"(w=["NaN"])"}, 1, "input 'w': expected a number");
}

TEST(CliErrors, RaggedListNamesTheInputAndTheElement) {
  expect_failure({"eval", "-e", "w", "--input", "w=[[1,2],[3]]"}, 1,
                 "input 'w': ragged nested list: element [1] has 1 items where 2 were expected");
  expect_failure({"eval", "-e", "w", "--input", "w=[1,[2]]"}, 1,
                 "input 'w': ragged nested list: element [1] is a list");
  expect_failure({"eval", "-e", "w", "--input", "w=[[1],2]"}, 1,
                 "input 'w': ragged nested list: element [1] is a number");
}

TEST(CliErrors, ShapeAndDataObjectIsChecked) {
  expect_failure({"eval", "-e", "w", "--input", R"(w={"shape": [2, 2], "data": [1, 2, 3]})"}, 1,
                 "input 'w': \"data\" has 3 numbers but shape [2,2] needs 4");
  expect_failure({"eval", "-e", "w", "--input", R"(w={"shape": [-1], "data": []})"}, 1,
                 "input 'w': \"shape\" must be a list of non-negative integers");
  expect_failure({"eval", "-e", "w", "--input", R"(w={"shape": [1], "data": [1], "x": 1})"}, 1,
                 "input 'w': unexpected key \"x\"");
}

TEST(CliErrors, InputsFileProblems) {
  expect_failure({"eval", "-e", "x", "--inputs", scratch_path("missing.json")}, 1,
                 "cannot read inputs file");
  const std::string bad = scratch_file("bad_inputs.json", "{\"x\": [1, 2");
  expect_failure({"eval", "-e", "x", "--inputs", bad}, 1, "malformed JSON");
  const std::string list = scratch_file("list_inputs.json", "[1, 2]");
  expect_failure({"eval", "-e", "x", "--inputs", list}, 1, "expected a JSON object of inputs");
  const std::string ragged = scratch_file("ragged_inputs.json", R"({"x": [[1], [2, 3]]})");
  expect_failure({"eval", "-e", "x", "--inputs", ragged}, 1, "input 'x': ragged nested list");
}

TEST(CliErrors, UsageErrorsExit2) {
  expect_failure({"eval", "-e", "x", "--input", "x=1", "--dtype", "float16"}, 2, "--dtype");
  expect_failure({"eval", "--input", "x=1"}, 2, "give the program with -e 'EXPR' or -f FILE");
  expect_failure({"eval", "-e", "x", "-f", "prog.dg"}, 2, "excludes");
  expect_failure({"eval", "-e", "x", "--input", "x"}, 2, "--input expects NAME=VALUE, got 'x'");
  expect_failure({"eval", "-e", "x", "--input", "1x=2"}, 2, "'1x' is not a name");
  expect_failure({"eval", "-e", "x", "--input", "x=1", "--input", "x=2"}, 2,
                 "input 'x' is given twice");
  expect_failure({"eval", "-e", "x", "--input", "x=1", "--grad", "q"}, 2,
                 "--grad: no input named 'q' (the inputs are: x)");
  expect_failure({"eval", "-e", "x", "--shape", "x=2xy"}, 2, "expected a shape like 2x3");
  expect_failure({"eval", "-e", "x", "--frobnicate"}, 2, "--frobnicate");
  expect_failure({}, 2, "subcommand");
  expect_failure({"evaluate"}, 2, "subcommand");
}

TEST(CliErrors, UnreadableProgramFileExits1) {
  expect_failure({"eval", "-f", scratch_path("no_such_program.dg")}, 1, "cannot read program file");
  expect_failure({"eval", "-f", "/tmp"}, 1, "it is a directory");
  expect_failure({"eval", "-e", "x", "--inputs", "/tmp"}, 1, "it is a directory");
}

TEST(CliErrors, LongLineExcerptIsCutAroundTheColumn) {
  std::string half;
  for (int i = 0; i < 10000; ++i) half += "x + ";
  const ToolResult r = expect_failure({"eval", "-e", half + "@ + " + half + "x"}, 2, "got '@'");
  EXPECT_LT(r.err.size(), 400u);
  // 60 bytes before the caret and 60 from it, cut with "...", and the caret under the '@'.
  const std::string side = "x + x + x + x + x + x + x + x + x + x + x + x + x + x + x + ";
  EXPECT_THAT(r.err, HasSubstr("  ..." + side + ("@ + " + side).substr(0, 60) + "...\n  " +
                               std::string(3 + side.size(), ' ') + "^\n"));
}

}  // namespace
}  // namespace dagrad::testing

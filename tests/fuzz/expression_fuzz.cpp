// libFuzzer target: the dagrad tool's expression language, through the same entry points as
// `dagrad eval`, `dagrad dot` and `dagrad gradcheck` (parse, evaluate, back-propagate — grad()
// calls included — print, export DOT, compare with finite differences).
//
// Input layout: byte 0 chooses the options (bit 0 float64, 1 JSON output, 2 DOT values,
// 3 DOT gradients, 4-5 rankdir, 6 no legend, 7 also gradcheck); the rest is the program, optionally
// followed by a NUL byte and the JSON of one more input `z`. The other inputs are fixed and small,
// one of each kind: matrices, a vector, a scalar, labels, non-finite values and an empty tensor.
//
// Both commands must return an exit code (0, 1 or 2) and never throw; a program that `eval`
// runs must also export, and DOT output is one complete digraph.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "commands.hpp"
#include "diagnostics.hpp"
#include "json_io.hpp"
#include "parser.hpp"

namespace {

using namespace dagrad;
using namespace dagrad::cli;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "expression_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// Note [Fuzzing within memory]
// The language can ask for big tensors on purpose (one_hot(y, num_classes=1000000),
// reshape(..., shape=[...]) and a broadcast of the result with its transpose); those are
// requests, not bugs, and would only trip the fuzzer's memory limit. Programs whose integer
// attributes leave [-8, 16] or whose lists are longer than 2, and inputs z with more than 16
// elements, more than 2 axes or an extent above 16, are therefore only parsed. The fixed inputs
// have extents up to 4, so no tensor exceeds a few thousand elements.
bool small_enough(const Program& program) {
  for (const Call& call : program.calls)
    for (const Keyword& k : call.keywords) {
      if (const auto* i = std::get_if<std::int64_t>(&k.value); i && (*i < -8 || *i > 16))
        return false;
      if (const auto* list = std::get_if<std::vector<std::int64_t>>(&k.value)) {
        if (list->size() > 2) return false;
        for (std::int64_t e : *list)
          if (e < -8 || e > 16) return false;
      }
    }
  return true;
}

bool small_enough(const InputValue& z) {
  if (z.shape.size() > 2 || z.values.size() > 16) return false;
  for (std::int64_t e : z.shape)
    if (e > 16) return false;
  return true;
}

const char* const kRankdirs[] = {"TB", "LR", "BT", "RL"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t nul = rest.find('\0');
  const std::string source = rest.substr(0, nul);

  RunOptions run;
  run.expr = source;
  run.dtype = (mode & 1) ? "float64" : "float32";
  run.inputs.inputs = {
      "x=[[1, -2, 3], [0.5, 0, -0.25]]",
      "W=[[0.1, 0.2, 0.3, 0.4], [-1, 0, 1, 2], [3, 2, 1, 0]]",
      "b=[1, 2, 3, 4]",
      "v=[2, -1, 0.5]",
      "s=3",
      "y=[0, 3]",
      "n=[[\"nan\", \"inf\"], [\"-inf\", 1e30]]",
      "e={\"shape\": [0, 3], \"data\": []}",
  };
  if (nul != std::string::npos) run.inputs.inputs.push_back("z=" + rest.substr(nul + 1));

  try {
    if (!small_enough(parse_program(source))) return 0;
    if (nul != std::string::npos && !small_enough(parse_input("z", rest.substr(nul + 1)))) return 0;
  } catch (const Error&) {
    // A syntax error or a bad z: the commands below report it; that path is fuzzed too.
  }

  EvalOptions eval;
  static_cast<RunOptions&>(eval) = run;
  eval.grads = {"all"};
  eval.json = (mode & 2) != 0;
  std::ostringstream eval_out, eval_err;
  const int eval_code = run_eval(eval, eval_out, eval_err);
  if (eval_code < 0 || eval_code > 2) fail("eval returned an unknown exit code", source);
  if ((eval_code == 0) != eval_err.str().empty())
    fail("eval's exit code and its diagnostics disagree", eval_err.str());

  DotOptions dot;
  static_cast<RunOptions&>(dot) = run;
  dot.values = (mode & 4) != 0;
  dot.grads = (mode & 8) != 0;
  dot.rankdir = kRankdirs[(mode >> 4) & 3];
  dot.legend = (mode & 64) == 0;
  std::ostringstream dot_out, dot_err;
  const int dot_code = run_dot(dot, dot_out, dot_err);
  if (dot_code < 0 || dot_code > 2) fail("dot returned an unknown exit code", source);
  if (eval_code == 0 && dot_code != 0)
    fail("eval ran the program but dot failed on it", dot_err.str());
  if (dot_code == 0) {
    const std::string text = dot_out.str();
    if (text.rfind("digraph", 0) != 0 || text.size() < 2 || text.substr(text.size() - 2) != "}\n")
      fail("dot output is not one complete digraph", text);
  }
  // gradcheck evaluates the program twice per input element: only for one input in two.
  if (mode & 128) {
    GradcheckCommandOptions check;
    static_cast<RunOptions&>(check) = run;
    std::ostringstream check_out, check_err;
    const int check_code = run_gradcheck(check, check_out, check_err);
    if (check_code < 0 || check_code > 2) fail("gradcheck returned an unknown exit code", source);
    if (eval_code == 2 && check_code != 2)
      fail("eval found a usage or syntax error that gradcheck did not", check_err.str());
  }
  return 0;
}

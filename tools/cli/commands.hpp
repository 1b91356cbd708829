// The dagrad subcommands, callable without the command-line parser: each takes its options,
// writes results to `out` and diagnostics to `err`, and returns the process exit code
// (see diagnostics.hpp). They never throw.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "inputs.hpp"

namespace dagrad::cli {

// What eval and dot share: the program, its inputs and the dtype.
struct RunOptions {
  std::optional<std::string> expr;  // -e
  std::optional<std::string> file;  // -f ("-" for stdin)
  InputArgs inputs;
  std::string dtype = "float32";
};

struct EvalOptions : RunOptions {
  std::vector<std::string> grads;  // --grad: input names, or "all"
  bool json = false;
};

// dagrad eval: the output's value and, for --grad inputs, d(sum of the output)/d(input).
int run_eval(const EvalOptions& options, std::ostream& out, std::ostream& err);

struct DotOptions : RunOptions {
  std::string output;               // -o: .dot, .svg, .png or .pdf; empty: DOT to `out`
  bool values = false;              // --values
  bool grads = false;               // --grads
  std::string rankdir = "TB";       // --rankdir
  std::vector<std::string> labels;  // --label NAME=TEXT
  std::string title;                // --title
  bool legend = true;               // --no-legend clears it
};

// dagrad dot: the output's graph as DOT, or rendered by Graphviz.
int run_dot(const DotOptions& options, std::ostream& out, std::ostream& err);

struct GradcheckCommandOptions : RunOptions {  // dtype is ignored: gradcheck runs in float64
  double eps = 1e-6;                           // --eps: the finite-difference step
  double atol = 1e-5;  // --atol, --rtol: pass when |analytic - numeric| <= atol + rtol·|numeric|
  double rtol = 1e-3;
};

// dagrad gradcheck: compares the program's analytic Jacobian with central differences in
// float64, over every floating input. 0 and one summary line when they agree; 1 and the report
// (input, element, analytic and numeric values, errors, nearest op at fault) when not.
int run_gradcheck(const GradcheckCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace dagrad::cli

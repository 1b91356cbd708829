#include "help.hpp"

#include <algorithm>

#include <dagrad/core/registry.hpp>

namespace dagrad::cli {

std::string language_help() {
  return R"(PROGRAMS
  A program is statements separated by ';' or new lines, ending with the output expression:
      h = sigmoid(x @ W1 + b1); y = h @ W2 + b2; mse_loss(y, t)
  `name = expr` binds name to that graph node: every later use shares it (diamonds, shared
  weights), and a name may be rebound (`y = y + c`), so long chains are one line each. A name
  not bound by an earlier statement is the input of that name. '#' starts a comment. New lines
  inside parentheses do not end a statement. Give the program with -e 'EXPR', or with -f FILE
  (-f - reads stdin) for programs of many lines. An expression that starts with '-' must be
  written --expr='-x' or -e ' -x', or the shell's argument looks like an option.

EXPRESSIONS
  numbers (2, 0.5, 1e-3; scalars of the --dtype), names, parentheses,
  a + b, a - b, a * b, a / b   element-wise with NumPy broadcasting (ops add sub mul div)
  a @ b                        matrix product (op matmul)
  -a                           negation (op neg)
  f(a, b, key=value)           any registered op by name; keyword values are integers,
                               numbers, true/false or integer lists [2, 3], e.g. sum(x, axis=1),
                               softmax(z, axis=-1), mean(x, axis=[0, 1], keepdim=true)
  grad(e, name)                the gradient of the scalar expression e with respect to the
                               input or bound name `name`; itself differentiable, so
                               grad(sum(grad(f, x)), x) is a second derivative
  Precedence as in Python: unary '-' binds tighter than '*' '/' '@', which bind tighter than
  '+' '-'; binary operators group to the left. Nesting (parentheses and calls inside each
  other) may go as deep as memory allows: parsing and evaluation use no recursion.

INPUTS
  --input NAME=JSON      a nested list ([[1, 2, 3], [4, 5, 6]] has shape [2, 3]; a bare number
                         is a scalar), or {"shape": [4, 0], "data": [...flat, row-major...]}
                         (for 0-sized axes and big inputs). The strings "nan", "inf" and "-inf"
                         stand for those numbers.
  --inputs FILE.json     a JSON object of such inputs by name; --input replaces one of them.
  --shape NAME=2x3       standard normal values from a generator seeded with --seed (default 0);
                         an empty shape (NAME=) is a scalar.
  Inputs are float32 or float64 (--dtype), except where an input is passed by name as integer
  labels: the second argument of cross_entropy and nll_loss, and the first of one_hot take
  that input's values as int64 (they must be integers, e.g. --input y='[2, 0]').
)";
}

std::string ops_help() {
  std::string s = "OPS (callable by name; user-registered ops too)\n";
  for (const OpDef* op : registry().all()) {
    std::string head = "  " + op->name + "(";
    const int shown = op->max_inputs < 0 ? std::max(op->min_inputs, 1) : op->max_inputs;
    for (int i = 0; i < shown; ++i) {
      const bool optional = i >= op->min_inputs;
      if (i) head += ", ";
      if (optional) head += '[';
      if (shown <= 2)
        head += shown == 1 ? "x" : i == 0 ? "a" : "b";
      else
        head.append("x").append(std::to_string(i + 1));
      if (optional) head += ']';
    }
    if (op->max_inputs < 0) head += ", ...";
    for (const std::string& k : op->keywords) head += ", " + k + "=";
    head += ")";
    if (head.size() < 34)
      head.resize(34, ' ');
    else
      head += "\n" + std::string(34, ' ');
    s += head + op->doc + "\n";
  }
  return s;
}

std::string plugins_help() {
  return R"(PLUGINS
  --plugin FILE.so (before or after the command's name; repeatable) loads a shared library of
  user ops before the program runs, as does each FILE.so of the environment variable
  DAGRAD_PLUGINS=FILE.so:FILE.so (loaded first). FILE.so is a path: a bare name is a file of
  the working directory, never searched for in the library path. The library defines
      extern "C" void dagrad_register_ops()       (declared in <dagrad/core/plugin.hpp>)
  which registers its ops with dagrad::register_op; they are then called by name like the
  built-in ops and listed under OPS (give --plugin with --help to see them). Build it with the
  same compiler and flags as this tool, with -fPIC -shared and dagrad's headers, without
  linking libdagrad (docs/plugins.md). A library that cannot be opened, has no entry point, or
  whose entry point throws (e.g. an op name already registered) stops the tool with a message
  naming the library, exit code 1.
)";
}

std::string help_footer() {
  return "\n" + language_help() + "\n" + ops_help() + "\n" + plugins_help() +
         R"(
EXIT CODES
  0 success; 1 the program failed (unknown name or op, shape or dtype mismatch, bad input
  data, unreadable file, a plugin that cannot be loaded); 2 wrong usage (bad option, syntax
  error in the program).
)";
}

std::string eval_footer() {
  return R"(
OUTPUT
  The output's shape, dtype and values, then for each --grad input the gradient of the output
  with respect to it. For an output that is not a scalar the gradients are those of the SUM of
  its elements (backward from a gradient of ones). An input the output does not depend on has a
  zero gradient. With --json, one object:
      {"shape": [...], "value": <nested lists>, "grads": {"NAME": <nested lists>}}
  Non-finite numbers are written "nan", "inf", "-inf" (as inputs read them); float64 values
  carry 17 significant digits and float32 values 9, so they read back exactly.

EXAMPLE
  dagrad eval -e 'cross_entropy(x @ W + b, y)' --input x='[[1,2]]' \
      --input W='[[0.1,0.2,0.3],[0.4,0.5,0.6]]' --input b='[[0,0,0]]' --input y='[2]' \
      --grad all --json --dtype float64
)" + help_footer();
}

std::string gradcheck_footer() {
  return R"(
CHECK
  The program is run in float64 as a function of its inputs (inputs used as integer labels are
  held fixed). Its Jacobian from backward is compared, element by element, with central
  differences (f(x + eps) - f(x - eps)) / 2 eps; an element passes when
  |analytic - numeric| <= atol + rtol * |numeric|. On success: exit 0 and one line with the
  largest errors. On failure: exit 1 and a report naming the output and input elements, the
  analytic and numeric values, their absolute and relative error, and the nearest op at fault
  (the first op of the graph whose own derivative disagrees with its finite differences).
  Non-differentiable points (relu at 0, max with ties) can fail legitimately.

EXAMPLE
  dagrad gradcheck -e 'sum(softmax(x @ W + b) * c)' --shape x=2x3 --shape W=3x4 --shape b=1x4 \
      --shape c=2x4
  dagrad gradcheck -e 'sum(grad(sum(tanh(x)), x))' --input x='[[0.5, -1]]'
)" + help_footer();
}

std::string dot_footer() {
  return R"(
GRAPH
  Every floating input requires grad, so every op applied to the inputs is recorded and drawn,
  one vertex per op and per input or constant; the legend explains the styles. Without -o the
  DOT text goes to stdout; -o FILE.svg, .png or .pdf is rendered in-process by Graphviz (large
  graphs are drawn summarised: chains folded, then truncated; .dot output is always complete).
  --grads runs backward from the sum of the output first and keeps every node's gradient;
  --values and --grads put the summaries in the labels (SVG tooltips always hold them).

EXAMPLE
  dagrad dot -e 'softmax(x @ W + b)' --shape x=1x2 --shape W=2x3 --shape b=1x3 \
      --label W=weights --grads -o dense.svg
)" + help_footer();
}

}  // namespace dagrad::cli

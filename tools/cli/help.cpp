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
  Precedence as in Python: unary '-' binds tighter than '*' '/' '@', which bind tighter than
  '+' '-'; binary operators group to the left. Nesting (parentheses and calls inside each
  other) is limited to 10000 levels.

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

std::string help_footer() {
  return "\n" + language_help() + "\n" + ops_help() +
         R"(
EXIT CODES
  0 success; 1 the program failed (unknown name or op, shape or dtype mismatch, bad input
  data, unreadable file); 2 wrong usage (bad option, syntax error in the program).
)";
}

}  // namespace dagrad::cli

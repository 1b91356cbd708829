// dagrad eval: run the program, back-propagate from the sum of its output, print.
#include <algorithm>
#include <ostream>

#include <dagrad/core/tensor.hpp>

#include "commands.hpp"
#include "diagnostics.hpp"
#include "json_io.hpp"
#include "session.hpp"

namespace dagrad::cli {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s.empty() ? "none" : s;
}

std::string trim(const std::string& s) {
  const std::size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

// The --grad arguments: names separated by commas, or "all". Sets `all` for the latter.
std::vector<std::string> grad_names(const std::vector<std::string>& args,
                                    const std::vector<std::string>& inputs, bool& all) {
  std::vector<std::string> names;
  all = false;
  for (const std::string& arg : args) {
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = arg.find(',', start);
      const std::string name =
          trim(arg.substr(start, comma == std::string::npos ? comma : comma - start));
      if (name == "all") {
        all = true;
      } else if (std::find(inputs.begin(), inputs.end(), name) == inputs.end()) {
        throw UsageError("--grad: no input named '" + name + "' (the inputs are: " + join(inputs) +
                         ")");
      } else if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return all ? inputs : names;
}

void print_text(std::ostream& out, const Tensor& value,
                const std::vector<std::pair<std::string, Tensor>>& grads) {
  out << "output " << to_string(value.shape()) << ' ' << dtype_name(value.dtype()) << '\n';
  write_nested(out, value, NumberStyle::plain, true);
  out << '\n';
  const char* of = value.numel() == 1 ? "d output / d " : "d sum(output) / d ";
  for (const auto& [name, g] : grads) {
    out << of << name << ' ' << to_string(g.shape()) << '\n';
    write_nested(out, g, NumberStyle::plain, true);
    out << '\n';
  }
}

void print_json(std::ostream& out, const Tensor& value,
                const std::vector<std::pair<std::string, Tensor>>& grads) {
  out << "{\"shape\": ";
  write_shape(out, value.shape());
  out << ", \"value\": ";
  write_nested(out, value, NumberStyle::json);
  out << ", \"grads\": {";
  for (std::size_t i = 0; i < grads.size(); ++i) {
    // Input names are identifiers, so they need no escaping.
    out << (i ? ", " : "") << '"' << grads[i].first << "\": ";
    write_nested(out, grads[i].second, NumberStyle::json);
  }
  out << "}}\n";
}

}  // namespace

int run_eval(const EvalOptions& options, std::ostream& out, std::ostream& err) {
  Session session;
  try {
    open_session(options, session);
    bool all = false;
    std::vector<std::string> wanted = grad_names(options.grads, input_names(session), all);

    Evaluator evaluator(std::move(session.inputs), session.dtype, wanted);
    const Tensor output = evaluator.run(session.program);
    if (all)  // labels have no gradient: leave them out of "all"
      std::erase_if(wanted, [&](const std::string& n) { return evaluator.used_as_labels(n); });

    std::vector<std::pair<std::string, Tensor>> grads;
    if (!wanted.empty() && output.requires_grad()) {
      // For a non-scalar output this is the gradient of the sum of its elements.
      output.backward(output.numel() == 1 ? Tensor() : ones(output.shape(), output.dtype()));
    }
    for (const std::string& name : wanted) {
      const Tensor& leaf = *evaluator.input(name);
      const Tensor g = leaf.grad();
      // An input the output does not depend on has a zero gradient.
      grads.emplace_back(name, g.defined() ? g : zeros(leaf.shape(), leaf.dtype()));
    }

    if (options.json)
      print_json(out, output, grads);
    else
      print_text(out, output, grads);
    out.flush();
    if (!out) throw IoError("cannot write the output");
    return 0;
  } catch (...) {
    return report_current_exception(err, session.source);
  }
}

}  // namespace dagrad::cli

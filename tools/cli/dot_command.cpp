// dagrad dot: run the program with every floating input recording the graph, optionally
// back-propagate, and export the graph through <dagrad/core/export.hpp>.
#include <algorithm>
#include <cctype>
#include <ostream>

#include <dagrad/core/export.hpp>
#include <dagrad/core/tensor.hpp>

#include "commands.hpp"
#include "diagnostics.hpp"
#include "session.hpp"

namespace dagrad::cli {

namespace {

bool known_extension(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == "dot" || ext == "svg" || ext == "png" || ext == "pdf";
}

}  // namespace

int run_dot(const DotOptions& options, std::ostream& out, std::ostream& err) {
  Session session;
  try {
    if (!options.output.empty() && !known_extension(options.output))
      throw UsageError("-o: the file must end in .dot, .svg, .png or .pdf, got '" + options.output +
                       "'");
    std::vector<std::pair<std::string, std::string>> labels;
    for (const std::string& arg : options.labels)
      labels.push_back(split_assignment("--label", arg));

    open_session(options, session);
    // Every floating input records the graph: without a leaf that requires grad no node would
    // be recorded and there would be nothing to draw.
    Evaluator evaluator(std::move(session.inputs), session.dtype, input_names(session));
    evaluator.retain_grads(options.grads);
    const Tensor output = evaluator.run(session.program);

    for (const auto& [name, text] : labels) {
      const Tensor* t = evaluator.input(name);
      if (!t) t = evaluator.binding(name);
      if (!t)
        throw UsageError("--label: '" + name +
                         "' is neither an input nor a name bound by the "
                         "program");
      Tensor(*t).set_name(text);
      // An input used as integer labels is drawn from its int64 copy: name that one too.
      if (const Tensor* as_labels = evaluator.labels(name)) Tensor(*as_labels).set_name(text);
    }
    if (options.grads && output.requires_grad())
      output.backward(output.numel() == 1 ? Tensor() : ones(output.shape(), output.dtype()),
                      /*retain_graph=*/true);

    ExportOptions export_options;
    export_options.values = options.values;
    export_options.grads = options.grads;
    export_options.rankdir = options.rankdir;
    export_options.legend = options.legend;
    export_options.title = options.title;
    if (options.output.empty()) {
      out << to_dot(output, export_options);
      out.flush();
      if (!out) throw IoError("cannot write the output");
    } else {
      render(output, options.output, export_options);
    }
    return 0;
  } catch (...) {
    return report_current_exception(err, session.source);
  }
}

}  // namespace dagrad::cli

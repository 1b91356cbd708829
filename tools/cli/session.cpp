#include "session.hpp"

#include "diagnostics.hpp"
#include "parser.hpp"

namespace dagrad::cli {

void open_session(const RunOptions& options, Session& session) {
  session.dtype = parse_dtype(options.dtype);
  if (options.expr && options.file) throw UsageError("give the program with -e or -f, not both");
  session.source = read_program(options.expr ? &*options.expr : nullptr,
                                options.file ? &*options.file : nullptr);
  session.program = parse_program(session.source);
  session.inputs = collect_inputs(options.inputs, session.dtype);
}

std::vector<std::string> input_names(const Session& session) {
  std::vector<std::string> names;
  for (const NamedInput& in : session.inputs) names.push_back(in.name);
  return names;
}

}  // namespace dagrad::cli

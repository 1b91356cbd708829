// The first steps every subcommand shares: check the dtype, read and parse the program, and load
// the inputs.
#pragma once

#include <string>
#include <vector>

#include "ast.hpp"
#include "commands.hpp"
#include "evaluator.hpp"

namespace dagrad::cli {

struct Session {
  std::string source;  // the program text, for error excerpts
  Program program;
  DType dtype = DType::f32;
  std::vector<NamedInput> inputs;
};

// Fills `session` step by step (source first, so a later error can quote it). Throws
// UsageError, IoError, SyntaxError or ValueError/ShapeError for a bad input.
void open_session(const RunOptions& options, Session& session);

// The names of the inputs, in order.
std::vector<std::string> input_names(const Session& session);

}  // namespace dagrad::cli

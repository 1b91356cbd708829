// Where a run's program and inputs come from: -e/-f for the program, --inputs FILE.json,
// --input NAME=JSON and --shape NAME=2x3 for the inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <dagrad/core/dtype.hpp>

#include "evaluator.hpp"

namespace dagrad::cli {

// The program text: `expr` when given, else the contents of `file` ("-" reads stdin).
// IoError when the file cannot be read.
std::string read_program(const std::string* expr, const std::string* file);

// Splits "NAME=VALUE" at the first '='; UsageError naming `option` when there is none or NAME is
// not an identifier.
std::pair<std::string, std::string> split_assignment(const std::string& option,
                                                     const std::string& arg);

// "2x3" -> [2,3]; "7" -> [7]; "" -> [] (a scalar). UsageError otherwise.
Shape parse_dims(const std::string& option, const std::string& text);

// "DTYPE" of --dtype: float32 or float64. UsageError otherwise.
DType parse_dtype(const std::string& text);

struct InputArgs {
  std::string inputs_file;          // --inputs (empty: none)
  std::vector<std::string> inputs;  // --input NAME=JSON
  std::vector<std::string> shapes;  // --shape NAME=2x3
  std::uint64_t seed = 0;           // --seed, for --shape
};

// Every input, in the order: the --inputs file's (by name), then --input and --shape as given.
// An --input replaces the file's input of the same name; giving a name twice on the command line
// is a UsageError. --shape values are standard normal from one generator seeded with `seed`.
std::vector<NamedInput> collect_inputs(const InputArgs& args, DType dtype);

}  // namespace dagrad::cli

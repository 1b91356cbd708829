#include "inputs.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <dagrad/core/error.hpp>
#include <dagrad/core/random.hpp>
#include <dagrad/core/tensor.hpp>

#include "diagnostics.hpp"
#include "json_io.hpp"

namespace dagrad::cli {

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string slurp(std::istream& in) {
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::string read_program(const std::string* expr, const std::string* file) {
  if (expr) return *expr;
  if (!file) throw UsageError("give the program with -e 'EXPR' or -f FILE (-f - reads stdin)");
  if (*file == "-") {
    std::string text = slurp(std::cin);
    if (std::cin.bad()) throw IoError("cannot read the program from stdin");
    return text;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(*file, ec))  // ifstream opens a directory and reads nothing
    throw IoError("cannot read program file '" + *file + "': it is a directory");
  std::ifstream in(*file, std::ios::binary);
  if (!in) throw IoError("cannot read program file '" + *file + "'");
  std::string text = slurp(in);
  if (in.bad()) throw IoError("cannot read program file '" + *file + "'");
  return text;
}

std::pair<std::string, std::string> split_assignment(const std::string& option,
                                                     const std::string& arg) {
  const std::size_t eq = arg.find('=');
  if (eq == std::string::npos) throw UsageError(option + " expects NAME=VALUE, got '" + arg + "'");
  std::string name = arg.substr(0, eq);
  if (!is_identifier(name))
    throw UsageError(option + ": '" + name +
                     "' is not a name (letters, digits and '_', not starting with a digit)");
  return {std::move(name), arg.substr(eq + 1)};
}

Shape parse_dims(const std::string& option, const std::string& text) {
  Shape shape;
  if (text.empty()) return shape;
  std::size_t start = 0;
  while (true) {
    const std::size_t x = text.find('x', start);
    const std::string part = text.substr(start, x == std::string::npos ? x : x - start);
    std::int64_t extent = -1;
    const auto r = std::from_chars(part.data(), part.data() + part.size(), extent);
    if (part.empty() || r.ec != std::errc{} || r.ptr != part.data() + part.size() || extent < 0)
      throw UsageError(option + ": expected a shape like 2x3 (non-negative extents), got '" + text +
                       "'");
    shape.push_back(extent);
    if (x == std::string::npos) break;
    start = x + 1;
  }
  try {
    check_shape(shape, option.c_str());
  } catch (const ShapeError& e) {
    throw UsageError(e.what());
  }
  return shape;
}

DType parse_dtype(const std::string& text) {
  if (text == "float32") return DType::f32;
  if (text == "float64") return DType::f64;
  throw UsageError("--dtype must be float32 or float64, got '" + text + "'");
}

std::vector<NamedInput> collect_inputs(const InputArgs& args, DType dtype) {
  std::vector<NamedInput> inputs;
  if (!args.inputs_file.empty())
    for (auto& [name, value] : read_inputs_file(args.inputs_file)) {
      if (!is_identifier(name))
        throw ValueError("inputs file '" + args.inputs_file + "': '" + name +
                         "' is not a name (letters, digits and '_', not starting with a digit)");
      inputs.push_back({name, std::move(value)});
    }
  std::vector<std::string> given;  // names from the command line so far
  auto place = [&](const std::string& option, std::string name, InputValue value) {
    for (const std::string& g : given)
      if (g == name) throw UsageError(option + ": input '" + name + "' is given twice");
    given.push_back(name);
    for (NamedInput& in : inputs)
      if (in.name == name) {
        in.value = std::move(value);  // the command line wins over the file
        return;
      }
    inputs.push_back({std::move(name), std::move(value)});
  };

  for (const std::string& arg : args.inputs) {
    auto [name, json] = split_assignment("--input", arg);
    InputValue value = parse_input(name, json);
    place("--input", std::move(name), std::move(value));
  }
  Generator gen(args.seed);
  for (const std::string& arg : args.shapes) {
    auto [name, dims] = split_assignment("--shape", arg);
    InputValue value;
    value.shape = parse_dims("--shape " + name, dims);
    value.values = randn(value.shape, gen, dtype).to_vector();
    place("--shape", std::move(name), std::move(value));
  }
  return inputs;
}

}  // namespace dagrad::cli

#include "json_io.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <dagrad/core/error.hpp>

namespace dagrad::cli {

namespace {

using Json = nlohmann::json;

// Tensors of more axes than this are surely a mistake (or an attack on the stack).
constexpr std::size_t kMaxRank = 64;

std::string kind_of(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "the string " + j.dump();
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "a list";
    default:
      return "a number";
  }
}

double number_of(const std::string& name, const Json& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  throw ValueError("input '" + name + "': expected a number (or \"nan\", \"inf\", \"-inf\"), got " +
                   kind_of(j));
}

// The shape a nested list claims along its first elements; fill() then checks every branch.
Shape nested_shape(const std::string& name, const Json& j) {
  Shape shape;
  const Json* at = &j;
  while (at->is_array()) {
    if (shape.size() == kMaxRank)
      throw ShapeError("input '" + name + "': more than " + std::to_string(kMaxRank) +
                       " levels of nesting");
    shape.push_back(static_cast<std::int64_t>(at->size()));
    if (at->empty()) break;
    at = &(*at)[0];
  }
  return shape;
}

std::string index_string(const std::vector<std::size_t>& index, std::size_t depth) {
  std::string s = "[";
  for (std::size_t i = 0; i < depth; ++i) s += (i ? "," : "") + std::to_string(index[i]);
  return s + "]";
}

// Recursion depth is the rank, at most kMaxRank.
void fill(const std::string& name, const Json& j, const Shape& shape, std::size_t depth,
          std::vector<std::size_t>& index, std::vector<double>& out) {
  if (depth == shape.size()) {
    if (j.is_array())
      throw ShapeError("input '" + name + "': ragged nested list: element " +
                       index_string(index, depth) + " is a list where a number was expected");
    out.push_back(number_of(name, j));
    return;
  }
  if (!j.is_array())
    throw ShapeError("input '" + name + "': ragged nested list: element " +
                     index_string(index, depth) + " is " + kind_of(j) + " where a list of " +
                     std::to_string(shape[depth]) + " was expected");
  if (static_cast<std::int64_t>(j.size()) != shape[depth])
    throw ShapeError("input '" + name + "': ragged nested list: element " +
                     index_string(index, depth) + " has " + std::to_string(j.size()) +
                     " items where " + std::to_string(shape[depth]) + " were expected");
  for (std::size_t i = 0; i < j.size(); ++i) {
    index[depth] = i;
    fill(name, j[i], shape, depth + 1, index, out);
  }
}

InputValue from_object(const std::string& name, const Json& j) {
  for (const auto& [key, _] : j.items())
    if (key != "shape" && key != "data")
      throw ValueError("input '" + name + "': unexpected key \"" + key +
                       "\" (an input object has \"shape\" and \"data\")");
  if (!j.contains("shape") || !j.contains("data"))
    throw ValueError("input '" + name + "': an input object needs both \"shape\" and \"data\"");
  const Json& shape_json = j["shape"];
  const Json& data = j["data"];
  if (!shape_json.is_array())
    throw ValueError("input '" + name + "': \"shape\" must be a list of non-negative integers");
  InputValue v;
  for (const Json& e : shape_json) {
    if (!e.is_number_integer() || e.get<std::int64_t>() < 0)
      throw ValueError("input '" + name + "': \"shape\" must be a list of non-negative integers");
    v.shape.push_back(e.get<std::int64_t>());
  }
  if (v.shape.size() > kMaxRank)
    throw ShapeError("input '" + name + "': more than " + std::to_string(kMaxRank) + " axes");
  check_shape(v.shape, ("input '" + name + "'").c_str());
  if (!data.is_array())
    throw ValueError("input '" + name + "': \"data\" must be a flat list of numbers");
  if (static_cast<std::int64_t>(data.size()) != numel(v.shape))
    throw ShapeError("input '" + name + "': \"data\" has " + std::to_string(data.size()) +
                     " numbers but shape " + to_string(v.shape) + " needs " +
                     std::to_string(numel(v.shape)));
  v.values.reserve(data.size());
  for (const Json& e : data) v.values.push_back(number_of(name, e));
  return v;
}

}  // namespace

InputValue input_from_json(const std::string& name, const Json& value) {
  if (value.is_object()) return from_object(name, value);
  InputValue v;
  v.shape = nested_shape(name, value);
  v.values.reserve(static_cast<std::size_t>(numel(v.shape)));
  std::vector<std::size_t> index(v.shape.size(), 0);
  fill(name, value, v.shape, 0, index, v.values);
  return v;
}

InputValue parse_input(const std::string& name, std::string_view json_text) {
  Json j;
  try {
    j = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::exception& e) {
    throw ValueError("input '" + name + "': malformed JSON: " + e.what());
  }
  return input_from_json(name, j);
}

std::vector<std::pair<std::string, InputValue>> read_inputs_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw IoError("cannot read inputs file '" + path + "': it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot read inputs file '" + path + "'");
  Json j;
  try {
    j = Json::parse(in);
  } catch (const Json::exception& e) {
    throw ValueError("inputs file '" + path + "': malformed JSON: " + e.what());
  }
  if (!j.is_object())
    throw ValueError("inputs file '" + path + "': expected a JSON object of inputs by name, got " +
                     kind_of(j));
  std::vector<std::pair<std::string, InputValue>> inputs;
  for (const auto& [name, value] : j.items())
    inputs.emplace_back(name, input_from_json(name, value));
  return inputs;
}

void write_number(std::ostream& os, double v, DType dtype, NumberStyle style) {
  if (std::isnan(v)) {
    os << (style == NumberStyle::json ? "\"nan\"" : "nan");
    return;
  }
  if (std::isinf(v)) {
    const char* text = v > 0 ? "inf" : "-inf";
    if (style == NumberStyle::json)
      os << '"' << text << '"';
    else
      os << text;
    return;
  }
  char buf[32];
  if (dtype == DType::i64)
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  else
    std::snprintf(buf, sizeof buf, dtype == DType::f64 ? "%.17g" : "%.9g", v);
  os << buf;
}

void write_shape(std::ostream& os, const Shape& shape) {
  os << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << ']';
}

namespace {

// Recursion depth is the rank.
void write_axis(std::ostream& os, const std::vector<double>& values, const Shape& shape,
                std::size_t axis, std::size_t& next, DType dtype, NumberStyle style, bool rows) {
  if (axis == shape.size()) {
    write_number(os, values[next++], dtype, style);
    return;
  }
  os << '[';
  const bool break_lines = rows && axis + 1 < shape.size();
  for (std::int64_t i = 0; i < shape[axis]; ++i) {
    if (i) {
      os << ',';
      if (break_lines)
        os << '\n' << std::string(axis + 1, ' ');
      else
        os << ' ';
    }
    write_axis(os, values, shape, axis + 1, next, dtype, style, rows);
  }
  os << ']';
}

}  // namespace

void write_nested(std::ostream& os, const Tensor& t, NumberStyle style, bool rows) {
  const std::vector<double> values = t.to_vector();
  std::size_t next = 0;
  write_axis(os, values, t.shape(), 0, next, t.dtype(), style, rows);
}

}  // namespace dagrad::cli

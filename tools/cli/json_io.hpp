// Tensors as JSON, in and out.
//
// In: a nested list of numbers (the shape is the nesting: [[1,2,3],[4,5,6]] is [2,3]; a bare
// number is a scalar) or an object {"shape": [4, 0], "data": [...flat, row-major...]}. The
// strings "nan", "inf" and "-inf" stand for those numbers. Ragged lists, wrong counts and any
// other value are errors naming the input.
//
// Out: nested lists with the same conventions; float64 values carry 17 significant digits and
// float32 values 9, so both read back to the same bits.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include <dagrad/core/shape.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad::cli {

// An input's values before it becomes a tensor: the dtype is chosen later (float by default,
// int64 where it is used as labels).
struct InputValue {
  Shape shape;
  std::vector<double> values;  // row-major
};

// Parses the JSON text of the input called `name`. Throws ValueError ("input 'x': ...") when
// the text is not JSON or not a tensor.
InputValue parse_input(const std::string& name, std::string_view json_text);

// The same, from an already parsed JSON value.
InputValue input_from_json(const std::string& name, const nlohmann::json& value);

// The inputs of a --inputs file: a JSON object of inputs by name, in name order. Throws IoError
// when the file cannot be read, ValueError when its content is wrong (naming file and input).
std::vector<std::pair<std::string, InputValue>> read_inputs_file(const std::string& path);

// How numbers are written.
enum class NumberStyle {
  json,   // non-finite numbers as the strings "nan", "inf", "-inf"
  plain,  // nan, inf, -inf bare, for people
};

// One number with enough digits to read back exactly (17 for float64, 9 for float32).
void write_number(std::ostream& os, double v, DType dtype, NumberStyle style);

// The tensor's values as nested lists (a bare number for a scalar). With `rows`, each list
// below the outermost starts on its own line, aligned under its parent, for people.
void write_nested(std::ostream& os, const Tensor& t, NumberStyle style, bool rows = false);

// [2,3] as a JSON list.
void write_shape(std::ostream& os, const Shape& shape);

}  // namespace dagrad::cli

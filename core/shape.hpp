// Shapes: a list of non-negative extents, row-major. Broadcasting follows NumPy: align at the
// right; two extents fit when equal or when one of them is 1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dagrad {

using Shape = std::vector<std::int64_t>;

std::int64_t numel(const Shape& s);

// "[2,3]"; "[]" for a scalar.
std::string to_string(const Shape& s);

// The broadcast of a and b; throws ShapeError "<op>: cannot broadcast [2,3] with [4]".
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Maps axis in [-rank, rank) to [0, rank); throws ShapeError naming op, axis and shape.
int normalize_axis(std::int64_t axis, std::size_t rank, const char* op, const Shape& shape);

// Row-major strides (in elements) of a contiguous tensor of shape s.
std::vector<std::int64_t> contiguous_strides(const Shape& s);

// Throws ShapeError naming op when a shape has a negative extent or more elements than memory
// could ever hold, before anything is allocated.
void check_shape(const Shape& s, const char* op);

}  // namespace dagrad

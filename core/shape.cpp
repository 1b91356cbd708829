#include <dagrad/core/shape.hpp>

#include <algorithm>
#include <limits>

#include <dagrad/core/error.hpp>

namespace dagrad {

std::int64_t numel(const Shape& s) {
  std::int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

std::string to_string(const Shape& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(s[i]);
  }
  return out + "]";
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError(std::string(op) + ": cannot broadcast " + to_string(a) + " with " +
                       to_string(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

int normalize_axis(std::int64_t axis, std::size_t rank, const char* op, const Shape& shape) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r || r == 0)
    throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) +
                     " is out of range for shape " + to_string(shape));
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

std::vector<std::int64_t> contiguous_strides(const Shape& s) {
  std::vector<std::int64_t> st(s.size());
  std::int64_t acc = 1;
  for (std::size_t i = s.size(); i-- > 0;) {
    st[i] = acc;
    acc *= s[i];
  }
  return st;
}

void check_shape(const Shape& s, const char* op) {
  // 2^40 elements (4 TiB of float32) is far beyond any machine this runs on; refusing early
  // turns a would-be bad_alloc or overflow into a message that names the shape.
  constexpr std::int64_t kMaxElements = std::int64_t{1} << 40;
  std::int64_t n = 1;
  for (auto d : s) {
    if (d < 0) throw ShapeError(std::string(op) + ": negative extent in shape " + to_string(s));
    if (d != 0 && n > kMaxElements / d)
      throw ShapeError(std::string(op) + ": shape " + to_string(s) + " is too large to allocate");
    n *= d;
  }
  if (n > kMaxElements)
    throw ShapeError(std::string(op) + ": shape " + to_string(s) + " is too large to allocate");
}

}  // namespace dagrad

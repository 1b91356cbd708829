#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// The same elements in another shape (row-major order kept); one extent may be -1, inferred.
// A view: no copy. ShapeError if the element counts differ. Derivative: reshape back.
Tensor reshape(const Tensor& x, const Shape& shape);

}  // namespace dagrad

#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Sums x over the axes along which `shape` was broadcast to x's shape, giving a tensor of
// `shape`: the reduction every broadcasting op's derivative needs. Returns x itself when the
// shapes already match. ShapeError if `shape` does not broadcast to x's shape.
Tensor sum_to(const Tensor& x, const Shape& shape);

// Repeats x along broadcast axes to `shape` (NumPy broadcast_to). Returns x itself when the
// shapes already match. Derivative: sum_to.
Tensor broadcast_to(const Tensor& x, const Shape& shape);

}  // namespace dagrad

#pragma once
#include <cstdint>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Maximum along one axis (keepdim as in sum). The gradient goes to the first maximal element
// of each slice, as PyTorch's max(dim) does. ShapeError on an empty slice.
Tensor max(const Tensor& x, std::int64_t axis, bool keepdim = false);

// Index (int64) of the first maximal element along `axis`. Not differentiable.
Tensor argmax(const Tensor& x, std::int64_t axis, bool keepdim = false);

}  // namespace dagrad

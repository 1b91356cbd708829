#pragma once
#include <cstdint>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Swaps two axes (default: the last two). A copy in row-major order. Derivative: the same swap.
Tensor transpose(const Tensor& x, std::int64_t axis0 = -2, std::int64_t axis1 = -1);

}  // namespace dagrad

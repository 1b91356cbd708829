#pragma once
#include <cstdint>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Mean over `axes` (all when empty), keepdim as in sum. Derivative: g / count, broadcast back.
Tensor mean(const Tensor& x, const std::vector<std::int64_t>& axes = {}, bool keepdim = false);

}  // namespace dagrad

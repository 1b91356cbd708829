#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Sum over `axes` (all axes when empty; negative axes count from the end); reduced axes are
// kept with extent 1 when keepdim. Derivative: the upstream gradient broadcast back.
Tensor sum(const Tensor& x, const std::vector<std::int64_t>& axes = {}, bool keepdim = false);

}  // namespace dagrad

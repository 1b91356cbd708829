#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// out = -x. d/dx = -1.
Tensor neg(const Tensor& x);
Tensor operator-(const Tensor& x);

}  // namespace dagrad

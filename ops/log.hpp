#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Natural log element-wise (nan below 0, -inf at 0, as IEEE 754). d/dx = 1/x.
Tensor log(const Tensor& x);

}  // namespace dagrad

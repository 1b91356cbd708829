#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// √x element-wise (nan below 0). d/dx = 1/(2√x).
Tensor sqrt(const Tensor& x);

}  // namespace dagrad

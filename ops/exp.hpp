#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// e^x element-wise. d/dx = e^x (the output).
Tensor exp(const Tensor& x);

}  // namespace dagrad

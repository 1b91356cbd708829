#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// out = a / b element-wise, with NumPy broadcasting. d/da = 1/b, d/db = -a/b² = -out/b.
// Division by zero follows IEEE 754 (±inf or nan), as in NumPy and PyTorch.
Tensor div(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, const Tensor& b);
Tensor operator/(const Tensor& a, double b);
Tensor operator/(double a, const Tensor& b);

}  // namespace dagrad

#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// out = a ⊙ b element-wise, with NumPy broadcasting. d/da = b, d/db = a.
Tensor mul(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, double b);  // b as a scalar of a's dtype
Tensor operator*(const Tensor& a, const Tensor& b);
Tensor operator*(const Tensor& a, double b);
Tensor operator*(double a, const Tensor& b);

}  // namespace dagrad

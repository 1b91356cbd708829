#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// out = a + b, with NumPy broadcasting. d/da = 1, d/db = 1 (summed over broadcast axes).
Tensor add(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, const Tensor& b);
Tensor operator+(const Tensor& a, double b);
Tensor operator+(double a, const Tensor& b);

}  // namespace dagrad

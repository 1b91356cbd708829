#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// σ(x) = 1 / (1 + e^(-x)), element-wise; finite for any finite x. σ'(x) = σ(1 − σ).
Tensor sigmoid(const Tensor& x);

}  // namespace dagrad

#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// tanh(x) element-wise; finite for any finite x. tanh'(x) = 1 − tanh².
Tensor tanh(const Tensor& x);

}  // namespace dagrad

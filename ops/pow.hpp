#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// x^p element-wise for a real exponent p. d/dx = p·x^(p−1).
Tensor pow(const Tensor& x, double p);
// x² element-wise. d/dx = 2x.
Tensor square(const Tensor& x);

}  // namespace dagrad

#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// relu(x) = max(0, x) element-wise. relu'(x) = 1 for x > 0, else 0 (0 at the kink, as PyTorch).
Tensor relu(const Tensor& x);
// step(x) = 1 where x > 0, else 0: relu's derivative, itself with derivative 0 (not differentiable
// through; gradients stop here).
Tensor step(const Tensor& x);

}  // namespace dagrad

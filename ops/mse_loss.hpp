#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Mean squared error: mean((pred − target)²) over all elements; shapes must match exactly (no
// silent broadcasting). d/dpred = 2(pred − target)/N, d/dtarget = −that.
Tensor mse_loss(const Tensor& pred, const Tensor& target);

}  // namespace dagrad

// Softmax and log-softmax along one axis, shared by softmax, log_softmax and cross_entropy.
// Both subtract the slice maximum first, so logits up to ±1e4 neither overflow nor lose the
// answer.
#pragma once

#include <dagrad/core/tensor.hpp>

namespace dagrad::detail {

// softmax (log = false) or log_softmax (log = true) of x along axis (non-negative).
Tensor softmax_kernel(const Tensor& x, int axis, bool log);

}  // namespace dagrad::detail

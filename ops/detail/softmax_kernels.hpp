// Softmax and log-softmax along one axis, shared by softmax, log_softmax and cross_entropy.
// Both subtract the slice maximum first, so logits up to ±1e4 neither overflow nor lose the
// answer.
#pragma once

#include <dagrad/core/tensor.hpp>

namespace dagrad::detail {

// softmax (log = false) or log_softmax (log = true) of x along axis (non-negative).
Tensor softmax_kernel(const Tensor& x, int axis, bool log);

}  // namespace dagrad::detail

#include <dagrad/core/attrs.hpp>

namespace dagrad::detail {

// The dense Jacobian [n, n] (n = y.numel()) of softmax (log = false) or log_softmax
// (log = true) along axis, from the output y: within each slice, softmax gives
// S_a(δ_ab − S_b) and log_softmax δ_ab − S_b; entries across slices are 0.
Tensor softmax_dense_jacobian(const Tensor& y, int axis, bool log);

}  // namespace dagrad::detail

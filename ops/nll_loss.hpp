#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Negative log-likelihood with integer labels, averaged over the batch:
//   log_probs [B, C], labels int64 [B]:  L = −(1/B) Σ_b log_probs[b, labels_b].
// d/dlog_probs = −onehot(labels) / B.
Tensor nll_loss(const Tensor& log_probs, const Tensor& labels);

}  // namespace dagrad

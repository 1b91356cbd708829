#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Softmax cross-entropy with integer labels, averaged over the batch:
//   logits [B, C], labels int64 [B] in [0, C):  L = −(1/B) Σ_b log softmax(logits_b)[labels_b].
// Exact for logits up to ±1e4 (log-sum-exp). d/dlogits = (softmax(logits) − onehot(labels)) / B.
// ValueError naming the label and its position when one is out of range.
Tensor cross_entropy(const Tensor& logits, const Tensor& labels);

}  // namespace dagrad

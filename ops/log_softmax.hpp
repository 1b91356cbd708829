#pragma once
#include <cstdint>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad {

// log(softmax(x)) along `axis`, computed as x − max − log Σ e^(x − max): exact and finite for
// logits up to ±1e4. Derivative: g − softmax(x) · Σ g.
Tensor log_softmax(const Tensor& x, std::int64_t axis = -1);

}  // namespace dagrad

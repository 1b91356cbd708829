#pragma once
#include <cstdint>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Softmax along `axis`: S_i = e^(x_i − max) / Σ_j e^(x_j − max); exact for logits up to ±1e4.
// Derivative: the Jacobian D_j S_i = S_i(δ_ij − S_j), applied as Jᵀ·g = S ⊙ (g − Σ(g ⊙ S)) in O(n)
// per row; the n×n matrix is never formed.
Tensor softmax(const Tensor& x, std::int64_t axis = -1);

// The explicit softmax Jacobian of x along its last axis: for x of shape [..., n], a tensor
// [..., n, n] with J[..., i, j] = ∂S_i/∂x_j = S_i(δ_ij − S_j). For inspection and tests; not
// recorded in the graph.
Tensor softmax_jacobian(const Tensor& x);

}  // namespace dagrad

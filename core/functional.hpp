// Functional derivatives built on grad(): Jacobians, Hessians, and their products with vectors.
// f is called on a fresh leaf copy of x that requires grad; x itself is never modified.
#pragma once

#include <functional>
#include <utility>

#include <dagrad/core/tensor.hpp>

namespace dagrad {

using UnaryFn = std::function<Tensor(const Tensor&)>;

// ∂f(x)/∂x with shape f(x).shape + x.shape (reverse mode: one backward per output element).
Tensor jacobian(const UnaryFn& f, const Tensor& x);

// ∂²f(x)/∂x² with shape x.shape + x.shape, for a scalar f (GraphError otherwise).
Tensor hessian(const UnaryFn& f, const Tensor& x);

// (f(x), vᵀ·J): v has f(x)'s shape, the product x's shape.
std::pair<Tensor, Tensor> vjp(const UnaryFn& f, const Tensor& x, const Tensor& v);

// (f(x), J·v): v has x's shape, the product f(x)'s shape. Forward mode through two reverse
// passes (the "double-vjp" trick), so no op needs a forward-mode rule.
std::pair<Tensor, Tensor> jvp(const UnaryFn& f, const Tensor& x, const Tensor& v);

// H·v for a scalar f, without forming H: the gradient of (∇f · v).
Tensor hvp(const UnaryFn& f, const Tensor& x, const Tensor& v);

}  // namespace dagrad

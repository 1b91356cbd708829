// Two activations defined outside the library and registered through the public interface,
// the same OpDef the built-in ops fill (see ops/sigmoid.cpp):
//   softplus(x) = log(1 + eˣ),  computed as max(x, 0) + log1p(e^(−|x|)) so it is finite for any
//                 finite x;                                   d/dx = σ(x)
//   swish(x)    = x·σ(x)  (SiLU);                             d/dx = σ(x) + swish(x)·(1 − σ(x))
// Each derivative is written with dagrad's own ops, so gradients of gradients work too.
// Header-only so that the example and its gradient-check test use exactly this code.
#pragma once

#include <cmath>
#include <span>

#include <Eigen/Core>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/add.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/sigmoid.hpp>
#include <dagrad/ops/sub.hpp>

namespace user_ops {

namespace detail {

// Shape rule of an element-wise op: the input's shape, floating dtypes only.
inline dagrad::TensorMeta elementwise_meta(std::span<const dagrad::Tensor> in, const char* op) {
  if (!dagrad::is_floating(in[0].dtype()))
    throw dagrad::DTypeError(std::string(op) + ": expected a floating tensor, got " +
                             dagrad::dtype_name(in[0].dtype()));
  return {in[0].shape(), in[0].dtype()};
}

// out = f(x) over the whole storage as one Eigen array expression.
template <class F>
dagrad::Tensor map(const dagrad::Tensor& x, F f) {
  dagrad::Tensor out = dagrad::Tensor::empty(x.shape(), x.dtype());
  dagrad::dispatch_floating(x.dtype(), "user op", [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
    Eigen::Map<Vec>(out.data<T>(), x.numel()) = f(Eigen::Map<const Vec>(x.data<T>(), x.numel()));
  });
  return out;
}

}  // namespace detail

inline dagrad::OpDef softplus_def() {
  dagrad::OpDef op;
  op.name = "softplus";
  op.doc = "log(1 + exp(x))";
  op.infer = [](std::span<const dagrad::Tensor> in, const dagrad::Attrs&) {
    return detail::elementwise_meta(in, "softplus");
  };
  op.forward = [](std::span<const dagrad::Tensor> in, const dagrad::Attrs&) {
    // log(1 + eˣ) overflows for x ≳ 89 in float; this form never does.
    return detail::map(in[0], [](auto x) { return x.max(0) + (-x.abs()).exp().log1p(); });
  };
  op.vjp = [](const dagrad::VjpArgs& a) {
    return std::vector<dagrad::Tensor>{dagrad::mul(a.grad_output, dagrad::sigmoid(a.inputs[0]))};
  };
  return op;
}

inline dagrad::OpDef swish_def() {
  dagrad::OpDef op;
  op.name = "swish";
  op.doc = "x * sigmoid(x)";
  op.infer = [](std::span<const dagrad::Tensor> in, const dagrad::Attrs&) {
    return detail::elementwise_meta(in, "swish");
  };
  op.forward = [](std::span<const dagrad::Tensor> in, const dagrad::Attrs&) {
    return detail::map(in[0], [](auto x) { return x * x.logistic(); });
  };
  op.vjp = [](const dagrad::VjpArgs& a) {
    using namespace dagrad;
    const Tensor s = sigmoid(a.inputs[0]);
    return std::vector<Tensor>{mul(a.grad_output, s + a.output * (1.0 - s))};
  };
  return op;
}

// Registers both ops once per process (later calls return the stored definitions).
inline const dagrad::OpDef& softplus_op() {
  static const dagrad::OpDef& op = dagrad::register_op(softplus_def());
  return op;
}
inline const dagrad::OpDef& swish_op() {
  static const dagrad::OpDef& op = dagrad::register_op(swish_def());
  return op;
}

inline dagrad::Tensor softplus(const dagrad::Tensor& x) {
  return dagrad::apply(softplus_op(), {x});
}
inline dagrad::Tensor swish(const dagrad::Tensor& x) {
  return dagrad::apply(swish_op(), {x});
}

}  // namespace user_ops

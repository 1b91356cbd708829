#include <dagrad/core/functional.hpp>

#include <cstring>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/registry.hpp>

namespace dagrad {

namespace {

Tensor fresh_leaf(const Tensor& x) {
  Tensor leaf = x.detach();
  leaf.set_requires_grad(true);
  return leaf;
}

void check_like(const Tensor& v, const Tensor& like, const char* who, const char* what) {
  if (v.shape() != like.shape() || v.dtype() != like.dtype())
    throw ShapeError(std::string(who) + ": v is " + to_string(v.shape()) + " " +
                     dtype_name(v.dtype()) + " but must match " + what + " " +
                     to_string(like.shape()) + " " + dtype_name(like.dtype()));
}

// Σ a ⊙ b over all elements, recorded (so it can be differentiated).
Tensor dot_all(const Tensor& a, const Tensor& b) {
  return apply("sum", {apply("mul", {a, b})});
}

Tensor zeros_like_grad(const Tensor& g, const Tensor& x) {
  return g.defined() ? g : zeros(x.shape(), x.dtype());
}

}  // namespace

Tensor jacobian(const UnaryFn& f, const Tensor& x) {
  EnableGradGuard on;
  const Tensor leaf = fresh_leaf(x);
  const Tensor y = f(leaf);
  Shape shape = y.shape();
  shape.insert(shape.end(), x.shape().begin(), x.shape().end());
  Tensor out = zeros(shape, x.dtype());
  if (!y.requires_grad()) return out;  // f does not depend on x
  const std::int64_t n_out = y.numel(), n_in = x.numel();
  const std::size_t row_bytes = static_cast<std::size_t>(n_in) * dtype_size(x.dtype());
  for (std::int64_t i = 0; i < n_out; ++i) {
    Tensor seed = zeros(y.shape(), y.dtype());
    dispatch_floating(y.dtype(), "jacobian",
                      [&](auto tag) { seed.data<typename decltype(tag)::type>()[i] = 1; });
    const Tensor row =
        grad(std::span<const Tensor>(&y, 1), std::span<const Tensor>(&leaf, 1),
             {.grad_outputs = {seed}, .retain_graph = true, .allow_unused = true})[0];
    if (row.defined())
      std::memcpy(static_cast<char*>(out.impl()->storage->data()) + i * row_bytes,
                  row.impl()->storage->data(), row_bytes);
  }
  return out;
}

Tensor hessian(const UnaryFn& f, const Tensor& x) {
  return jacobian(
      [&f](const Tensor& z) {
        const Tensor y = f(z);
        if (y.numel() != 1)
          throw GraphError("hessian: f must return a scalar, got shape " + to_string(y.shape()));
        if (!y.requires_grad()) return zeros(z.shape(), z.dtype());
        return zeros_like_grad(grad(y, z, {.create_graph = true, .allow_unused = true}), z);
      },
      x);
}

std::pair<Tensor, Tensor> vjp(const UnaryFn& f, const Tensor& x, const Tensor& v) {
  EnableGradGuard on;
  const Tensor leaf = fresh_leaf(x);
  const Tensor y = f(leaf);
  check_like(v, y, "vjp", "f(x)");
  if (!y.requires_grad()) return {y.detach(), zeros(x.shape(), x.dtype())};
  const Tensor g = grad(std::span<const Tensor>(&y, 1), std::span<const Tensor>(&leaf, 1),
                        {.grad_outputs = {v}, .allow_unused = true})[0];
  return {y.detach(), zeros_like_grad(g, x)};
}

std::pair<Tensor, Tensor> jvp(const UnaryFn& f, const Tensor& x, const Tensor& v) {
  EnableGradGuard on;
  check_like(v, x, "jvp", "x");
  const Tensor leaf = fresh_leaf(x);
  const Tensor y = f(leaf);
  if (!y.requires_grad()) return {y.detach(), zeros(y.shape(), y.dtype())};
  // g(u) = Jᵀu is linear in u; its vjp with v is (Jᵀ)ᵀ v = J v.
  Tensor u = zeros(y.shape(), y.dtype());
  u.set_requires_grad(true);
  const Tensor jt_u = grad(std::span<const Tensor>(&y, 1), std::span<const Tensor>(&leaf, 1),
                           {.grad_outputs = {u}, .create_graph = true, .allow_unused = true})[0];
  if (!jt_u.defined() || !jt_u.requires_grad()) return {y.detach(), zeros(y.shape(), y.dtype())};
  const Tensor jv = grad(dot_all(jt_u, v), u, {.allow_unused = true});
  return {y.detach(), zeros_like_grad(jv, y)};
}

Tensor hvp(const UnaryFn& f, const Tensor& x, const Tensor& v) {
  EnableGradGuard on;
  check_like(v, x, "hvp", "x");
  const Tensor leaf = fresh_leaf(x);
  const Tensor y = f(leaf);
  if (y.numel() != 1)
    throw GraphError("hvp: f must return a scalar, got shape " + to_string(y.shape()));
  if (!y.requires_grad()) return zeros(x.shape(), x.dtype());
  const Tensor g = grad(y, leaf, {.create_graph = true, .allow_unused = true});
  if (!g.defined() || !g.requires_grad()) return zeros(x.shape(), x.dtype());
  return zeros_like_grad(grad(dot_all(g, v), leaf, {.allow_unused = true}), x);
}

}  // namespace dagrad

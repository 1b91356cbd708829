#include <cstring>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/op.hpp>

namespace dagrad {

namespace {

// Both forms answer the same questions the same way: a floating input that exists.
void check_input(const OpDef& op, std::span<const Tensor> inputs, std::size_t input) {
  if (input >= inputs.size())
    throw GraphError(op.name + ": no input " + std::to_string(input) + " (the op got " +
                     std::to_string(inputs.size()) + ")");
  if (!is_floating(inputs[input].dtype()))
    throw DTypeError(op.name + ": input " + std::to_string(input) + " is " +
                     dtype_name(inputs[input].dtype()) + ", which has no Jacobian");
}

}  // namespace

Tensor op_jacobian_from_vjp(const OpDef& op, std::span<const Tensor> inputs, const Attrs& attrs,
                            std::size_t input) {
  check_input(op, inputs, input);
  std::vector<Tensor> leaves;
  for (const Tensor& t : inputs) leaves.push_back(t.detach());
  const Tensor& x = leaves[input];
  x.impl()->requires_grad = true;  // a fresh leaf of our own
  EnableGradGuard on;
  const Tensor y = apply(op, leaves, attrs);
  const std::int64_t n_out = y.numel(), n_in = x.numel();
  Tensor out = zeros({n_out, n_in}, x.dtype());
  if (!y.requires_grad()) return out;  // not differentiable (argmax, one_hot)
  const std::size_t row_bytes = static_cast<std::size_t>(n_in) * dtype_size(x.dtype());
  for (std::int64_t o = 0; o < n_out; ++o) {
    Tensor seed = zeros(y.shape(), y.dtype());
    dispatch_floating(y.dtype(), "op_jacobian",
                      [&](auto tag) { seed.data<typename decltype(tag)::type>()[o] = 1; });
    const Tensor row =
        grad(std::span<const Tensor>(&y, 1), std::span<const Tensor>(&x, 1),
             {.grad_outputs = {seed}, .retain_graph = true, .allow_unused = true})[0];
    if (row.defined())
      std::memcpy(static_cast<char*>(out.impl()->storage->data()) + o * row_bytes,
                  row.impl()->storage->data(), row_bytes);
  }
  return out;
}

Tensor op_jacobian(const OpDef& op, std::span<const Tensor> inputs, const Attrs& attrs,
                   std::size_t input) {
  if (!op.jacobian) return op_jacobian_from_vjp(op, inputs, attrs, input);
  check_input(op, inputs, input);
  NoGradGuard no_grad;
  std::vector<Tensor> detached;
  for (const Tensor& t : inputs) detached.push_back(t.detach());
  const Tensor y = apply(op, detached, attrs);
  Tensor j = op.jacobian(detached, y, attrs, input);
  const Shape expected{y.numel(), inputs[input].numel()};
  if (j.shape() != expected)
    throw GraphError(op.name + ": its Jacobian is " + to_string(j.shape()) + ", expected " +
                     to_string(expected));
  return j;
}

}  // namespace dagrad

#include <dagrad/ops/div.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/neg.hpp>
#include <dagrad/ops/sum_to.hpp>

namespace dagrad {

namespace ops_table {
void register_div(OpRegistry& reg) {
  OpDef op;
  op.name = "div";
  op.min_inputs = op.max_inputs = 2;
  op.doc = "a / b element-wise, broadcasting";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::broadcast_meta(in, "div");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_binary(in[0], in[1], "div", [](auto a, auto b) { return a / b; });
  };
  // ∂(a / b)/∂a = 1/b, ∂(a / b)/∂b = −a/b², at the elements broadcast to each output.
  op.jacobian = detail::broadcast_binary_jacobian(
      [](auto a, auto b, std::size_t input) { return input == 0 ? 1 / b : -a / (b * b); });
  op.vjp = [](const VjpArgs& a) {
    const Tensor& g = a.grad_output;
    const Tensor& b = a.inputs[1];
    const Tensor g_over_b = div(g, b);
    return std::vector<Tensor>{
        a.needs_grad[0] ? sum_to(g_over_b, a.inputs[0].shape()) : Tensor(),
        a.needs_grad[1] ? sum_to(neg(mul(g_over_b, a.output)), b.shape()) : Tensor()};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor div(const Tensor& a, const Tensor& b) {
  static const OpDef& op = registry().get("div");
  return apply(op, {a, b});
}
Tensor operator/(const Tensor& a, const Tensor& b) {
  return div(a, b);
}
Tensor operator/(const Tensor& a, double b) {
  return div(a, scalar(b, a.dtype()));
}
Tensor operator/(double a, const Tensor& b) {
  return div(scalar(a, b.dtype()), b);
}

}  // namespace dagrad

#include <dagrad/ops/sub.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/neg.hpp>
#include <dagrad/ops/sum_to.hpp>

namespace dagrad {

namespace ops_table {
void register_sub(OpRegistry& reg) {
  OpDef op;
  op.name = "sub";
  op.min_inputs = op.max_inputs = 2;
  op.doc = "a - b element-wise, broadcasting";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::broadcast_meta(in, "sub");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_binary(in[0], in[1], "sub", [](auto a, auto b) { return a - b; });
  };
  // ∂(a − b)/∂a = 1, ∂(a − b)/∂b = −1, at the element broadcast to each output.
  op.jacobian = detail::broadcast_binary_jacobian(
      [](auto a, auto, std::size_t input) { return decltype(a)(input == 0 ? 1 : -1); });
  op.vjp = [](const VjpArgs& a) {
    return std::vector<Tensor>{
        a.needs_grad[0] ? sum_to(a.grad_output, a.inputs[0].shape()) : Tensor(),
        a.needs_grad[1] ? sum_to(neg(a.grad_output), a.inputs[1].shape()) : Tensor()};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor sub(const Tensor& a, const Tensor& b) {
  static const OpDef& op = registry().get("sub");
  return apply(op, {a, b});
}
Tensor operator-(const Tensor& a, const Tensor& b) {
  return sub(a, b);
}
Tensor operator-(const Tensor& a, double b) {
  return sub(a, scalar(b, a.dtype()));
}
Tensor operator-(double a, const Tensor& b) {
  return sub(scalar(a, b.dtype()), b);
}

}  // namespace dagrad

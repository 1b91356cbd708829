#include <dagrad/ops/mul.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/sum_to.hpp>

namespace dagrad {

namespace ops_table {
void register_mul(OpRegistry& reg) {
  OpDef op;
  op.name = "mul";
  op.min_inputs = op.max_inputs = 2;
  op.doc = "a * b element-wise, broadcasting";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::broadcast_meta(in, "mul");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_binary(in[0], in[1], "mul", [](auto a, auto b) { return a * b; });
  };
  // ∂(a b)/∂a = b, ∂(a b)/∂b = a, at the elements broadcast to each output.
  op.jacobian = detail::broadcast_binary_jacobian(
      [](auto a, auto b, std::size_t input) { return input == 0 ? b : a; });
  op.vjp = [](const VjpArgs& a) {
    const Tensor& g = a.grad_output;
    return std::vector<Tensor>{
        a.needs_grad[0] ? sum_to(mul(g, a.inputs[1]), a.inputs[0].shape()) : Tensor(),
        a.needs_grad[1] ? sum_to(mul(g, a.inputs[0]), a.inputs[1].shape()) : Tensor()};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor mul(const Tensor& a, const Tensor& b) {
  static const OpDef& op = registry().get("mul");
  return apply(op, {a, b});
}
Tensor mul(const Tensor& a, double b) {
  return mul(a, scalar(b, a.dtype()));
}
Tensor operator*(const Tensor& a, const Tensor& b) {
  return mul(a, b);
}
Tensor operator*(const Tensor& a, double b) {
  return mul(a, b);
}
Tensor operator*(double a, const Tensor& b) {
  return mul(scalar(a, b.dtype()), b);
}

}  // namespace dagrad

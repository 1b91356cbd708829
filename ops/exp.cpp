#include <dagrad/ops/exp.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>

namespace dagrad {

namespace ops_table {
void register_exp(OpRegistry& reg) {
  OpDef op;
  op.name = "exp";
  op.doc = "e^x";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "exp");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "exp", [](auto x) { return x.exp(); });
  };
  op.jacobian = detail::elementwise_jacobian([](auto, auto y, const Attrs&) {
    using T = typename decltype(y)::Scalar;
    return detail::ArrayX<T>(y);
  });
  op.vjp = [](const VjpArgs& a) { return std::vector<Tensor>{mul(a.grad_output, a.output)}; };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor exp(const Tensor& x) {
  static const OpDef& op = registry().get("exp");
  return apply(op, {x});
}

}  // namespace dagrad

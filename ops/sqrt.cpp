#include <dagrad/ops/sqrt.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/div.hpp>
#include <dagrad/ops/mul.hpp>

namespace dagrad {

namespace ops_table {
void register_sqrt(OpRegistry& reg) {
  OpDef op;
  op.name = "sqrt";
  op.doc = "square root";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "sqrt");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "sqrt", [](auto x) { return x.sqrt(); });
  };
  op.jacobian = detail::elementwise_jacobian([](auto, auto y, const Attrs&) {
    using T = typename decltype(y)::Scalar;
    return detail::ArrayX<T>((T(2) * y).inverse());
  });
  op.vjp = [](const VjpArgs& a) {
    return std::vector<Tensor>{div(a.grad_output, mul(a.output, 2.0))};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor sqrt(const Tensor& x) {
  static const OpDef& op = registry().get("sqrt");
  return apply(op, {x});
}

}  // namespace dagrad

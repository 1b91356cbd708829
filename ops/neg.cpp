#include <dagrad/ops/neg.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>

namespace dagrad {

namespace ops_table {
void register_neg(OpRegistry& reg) {
  OpDef op;
  op.name = "neg";
  op.doc = "-x";
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return detail::same_as_input(in, "neg");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs&) {
    return detail::map_unary(in[0], "neg", [](auto x) { return -x; });
  };
  op.jacobian = detail::elementwise_jacobian([](auto x, auto, const Attrs&) {
    using T = typename decltype(x)::Scalar;
    return detail::ArrayX<T>(detail::ArrayX<T>::Constant(x.size(), T(-1)));
  });
  op.vjp = [](const VjpArgs& a) { return std::vector<Tensor>{neg(a.grad_output)}; };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor neg(const Tensor& x) {
  static const OpDef& op = registry().get("neg");
  return apply(op, {x});
}
Tensor operator-(const Tensor& x) {
  return neg(x);
}

}  // namespace dagrad

#include <dagrad/ops/log_softmax.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/detail/softmax_kernels.hpp>
#include <dagrad/ops/exp.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/sub.hpp>
#include <dagrad/ops/sum.hpp>

namespace dagrad {

namespace ops_table {
void register_log_softmax(OpRegistry& reg) {
  OpDef op;
  op.name = "log_softmax";
  op.doc = "x - max - log(sum(exp(x - max))) along axis=INT (default -1)";
  op.keywords = {"axis"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    normalize_axis(attrs.get<std::int64_t>("axis", -1), in[0].dim(), "log_softmax", in[0].shape());
    return detail::same_as_input(in, "log_softmax");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const int axis = normalize_axis(attrs.get<std::int64_t>("axis", -1), in[0].dim(), "log_softmax",
                                    in[0].shape());
    return detail::softmax_kernel(in[0], axis, /*log=*/true);
  };
  op.jacobian = [](std::span<const Tensor> in, const Tensor& y, const Attrs& attrs, std::size_t) {
    const int axis = normalize_axis(attrs.get<std::int64_t>("axis", -1), in[0].dim(), "log_softmax",
                                    in[0].shape());
    return detail::softmax_dense_jacobian(y, axis, /*log=*/true);
  };
  op.vjp = [](const VjpArgs& a) {
    // y = x − lse(x): dy_i/dx_j = δ_ij − S_j, so Jᵀg = g − S · Σg, with S = e^y.
    const std::int64_t axis = a.attrs.get<std::int64_t>("axis", -1);
    const Tensor& g = a.grad_output;
    return std::vector<Tensor>{sub(g, mul(exp(a.output), sum(g, {axis}, true)))};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor log_softmax(const Tensor& x, std::int64_t axis) {
  static const OpDef& op = registry().get("log_softmax");
  Attrs attrs;
  if (axis != -1) attrs.set("axis", axis);
  return apply(op, {x}, std::move(attrs));
}

}  // namespace dagrad

#include <dagrad/ops/sum.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/reshape.hpp>
#include <dagrad/ops/sum_to.hpp>

namespace dagrad {

namespace ops_table {
void register_sum(OpRegistry& reg) {
  OpDef op;
  op.name = "sum";
  op.doc = "sum over axis=INT (or all axes), keepdim=BOOL";
  op.keywords = {"axis", "keepdim"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const auto axes = detail::normalize_axes(detail::axes_attr(attrs), in[0].shape(), "sum");
    return TensorMeta{detail::reduced_shape(in[0].shape(), axes, attrs.get("keepdim", false)),
                      detail::floating_dtype(in, "sum")};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const auto axes = detail::normalize_axes(detail::axes_attr(attrs), in[0].shape(), "sum");
    return detail::view_as(detail::sum_kernel(in[0], axes),
                           detail::reduced_shape(in[0].shape(), axes, attrs.get("keepdim", false)));
  };
  // out[o] = Σ x[j] over the j that fold into o: ∂out[o]/∂x[j] = 1 there, else 0.
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs& attrs, std::size_t) {
    const Shape& s = in[0].shape();
    const auto axes = detail::normalize_axes(detail::axes_attr(attrs), s, "sum");
    return detail::sum_jacobian(s, detail::reduced_shape(s, axes, true), out.dtype(), 1.0);
  };
  op.vjp = [](const VjpArgs& a) {
    const Shape& in_shape = a.inputs[0].shape();
    const auto axes = detail::normalize_axes(detail::axes_attr(a.attrs), in_shape, "sum");
    const Tensor g = reshape(a.grad_output, detail::reduced_shape(in_shape, axes, true));
    return std::vector<Tensor>{broadcast_to(g, in_shape)};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor sum(const Tensor& x, const std::vector<std::int64_t>& axes, bool keepdim) {
  static const OpDef& op = registry().get("sum");
  Attrs attrs;
  if (!axes.empty()) attrs.set("axis", axes);
  if (keepdim) attrs.set("keepdim", true);
  return apply(op, {x}, std::move(attrs));
}

}  // namespace dagrad

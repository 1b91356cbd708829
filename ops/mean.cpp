#include <dagrad/ops/mean.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/reshape.hpp>
#include <dagrad/ops/sum_to.hpp>

namespace dagrad {

namespace {

// How many elements each output element averages.
double count_of(const Shape& shape, const std::vector<int>& axes) {
  double n = 1;
  for (int a : axes) n *= static_cast<double>(shape[a]);
  return n;
}

}  // namespace

namespace ops_table {
void register_mean(OpRegistry& reg) {
  OpDef op;
  op.name = "mean";
  op.doc = "mean over axis=INT (or all axes), keepdim=BOOL";
  op.keywords = {"axis", "keepdim"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const auto axes = detail::normalize_axes(detail::axes_attr(attrs), in[0].shape(), "mean");
    return TensorMeta{detail::reduced_shape(in[0].shape(), axes, attrs.get("keepdim", false)),
                      detail::floating_dtype(in, "mean")};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const auto axes = detail::normalize_axes(detail::axes_attr(attrs), in[0].shape(), "mean");
    Tensor out = detail::sum_kernel(in[0], axes);
    const double scale = 1.0 / count_of(in[0].shape(), axes);  // 0 elements: nan, as NumPy
    dispatch_floating(out.dtype(), "mean", [&](auto tag) {
      using T = typename decltype(tag)::type;
      detail::vec<T>(out) *= static_cast<T>(scale);
    });
    return detail::view_as(out,
                           detail::reduced_shape(in[0].shape(), axes, attrs.get("keepdim", false)));
  };
  // out[o] = Σ x[j] / N over the N elements j that fold into o: ∂out[o]/∂x[j] = 1/N there.
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs& attrs, std::size_t) {
    const Shape& s = in[0].shape();
    const auto axes = detail::normalize_axes(detail::axes_attr(attrs), s, "mean");
    return detail::sum_jacobian(s, detail::reduced_shape(s, axes, true), out.dtype(),
                                1.0 / count_of(s, axes));
  };
  op.vjp = [](const VjpArgs& a) {
    const Shape& in_shape = a.inputs[0].shape();
    const auto axes = detail::normalize_axes(detail::axes_attr(a.attrs), in_shape, "mean");
    const Tensor g = reshape(a.grad_output, detail::reduced_shape(in_shape, axes, true));
    return std::vector<Tensor>{broadcast_to(mul(g, 1.0 / count_of(in_shape, axes)), in_shape)};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor mean(const Tensor& x, const std::vector<std::int64_t>& axes, bool keepdim) {
  static const OpDef& op = registry().get("mean");
  Attrs attrs;
  if (!axes.empty()) attrs.set("axis", axes);
  if (keepdim) attrs.set("keepdim", true);
  return apply(op, {x}, std::move(attrs));
}

}  // namespace dagrad

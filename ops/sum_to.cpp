#include <dagrad/ops/sum_to.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>

namespace dagrad {

namespace {

// The axes of `from` that must be summed to get `to` (which broadcasts to `from`).
std::vector<int> summed_axes(const Shape& from, const Shape& to, const char* op) {
  if (to.size() > from.size() || broadcast_shapes(from, to, op) != from)
    throw ShapeError(std::string(op) + ": shape " + to_string(to) + " does not broadcast to " +
                     to_string(from));
  std::vector<int> axes;
  const std::size_t lead = from.size() - to.size();
  for (std::size_t i = 0; i < from.size(); ++i)
    if (i < lead || (to[i - lead] == 1 && from[i] != 1)) axes.push_back(static_cast<int>(i));
  return axes;
}

Shape shape_attr(const Attrs& attrs) {
  return attrs.get<std::vector<std::int64_t>>("shape");
}

}  // namespace

namespace ops_table {
void register_sum_to(OpRegistry& reg) {
  OpDef sum_to_op;
  sum_to_op.name = "sum_to";
  sum_to_op.doc = "sums x over broadcast axes down to shape=[...]";
  sum_to_op.keywords = {"shape"};
  sum_to_op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const Shape to = shape_attr(attrs);
    summed_axes(in[0].shape(), to, "sum_to");
    return TensorMeta{to, detail::floating_dtype(in, "sum_to")};
  };
  sum_to_op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const Shape to = shape_attr(attrs);
    const Tensor summed = detail::sum_kernel(in[0], summed_axes(in[0].shape(), to, "sum_to"));
    return detail::view_as(summed, to);
  };
  // out[o] = Σ x[j] over the j broadcast from o: ∂out[o]/∂x[j] = 1 there, else 0.
  sum_to_op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs&,
                          std::size_t) {
    return detail::sum_jacobian(in[0].shape(), out.shape(), out.dtype(), 1.0);
  };
  sum_to_op.vjp = [](const VjpArgs& a) {
    return std::vector<Tensor>{broadcast_to(a.grad_output, a.inputs[0].shape())};
  };
  reg.add(std::move(sum_to_op));

  OpDef bcast;
  bcast.name = "broadcast_to";
  bcast.doc = "repeats x along broadcast axes up to shape=[...]";
  bcast.keywords = {"shape"};
  bcast.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const Shape to = shape_attr(attrs);
    summed_axes(to, in[0].shape(), "broadcast_to");
    return TensorMeta{to, detail::floating_dtype(in, "broadcast_to")};
  };
  bcast.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    return detail::broadcast_kernel(in[0], shape_attr(attrs));
  };
  // out[i] = x[src(i)], src the NumPy broadcast source: one 1 per row, in column src(i).
  bcast.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs&, std::size_t) {
    const auto src = detail::broadcast_sources(in[0].shape(), out.shape());
    return detail::fill_jacobian(out.numel(), in[0].numel(), out.dtype(), [&](auto& j) {
      for (std::size_t i = 0; i < src.size(); ++i) j(static_cast<std::int64_t>(i), src[i]) = 1;
    });
  };
  bcast.vjp = [](const VjpArgs& a) {
    return std::vector<Tensor>{sum_to(a.grad_output, a.inputs[0].shape())};
  };
  reg.add(std::move(bcast));
}
}  // namespace ops_table

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  static const OpDef& op = registry().get("sum_to");
  return apply(op, {x}, {{"shape", shape}});
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  static const OpDef& op = registry().get("broadcast_to");
  return apply(op, {x}, {{"shape", shape}});
}

}  // namespace dagrad

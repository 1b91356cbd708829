#include <dagrad/ops/softmax.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/detail/softmax_kernels.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/sub.hpp>
#include <dagrad/ops/sum.hpp>

namespace dagrad {

namespace ops_table {
void register_softmax(OpRegistry& reg) {
  OpDef op;
  op.name = "softmax";
  op.doc = "exp(x - max) / sum(exp(x - max)) along axis=INT (default -1)";
  op.keywords = {"axis"};
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    normalize_axis(attrs.get<std::int64_t>("axis", -1), in[0].dim(), "softmax", in[0].shape());
    return detail::same_as_input(in, "softmax");
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const int axis =
        normalize_axis(attrs.get<std::int64_t>("axis", -1), in[0].dim(), "softmax", in[0].shape());
    return detail::softmax_kernel(in[0], axis, /*log=*/false);
  };
  op.jacobian = [](std::span<const Tensor> in, const Tensor& y, const Attrs& attrs, std::size_t) {
    const int axis =
        normalize_axis(attrs.get<std::int64_t>("axis", -1), in[0].dim(), "softmax", in[0].shape());
    return detail::softmax_dense_jacobian(y, axis, /*log=*/false);
  };
  op.vjp = [](const VjpArgs& a) {
    // Jᵀg with J = diag(S) − S Sᵀ (D_j S_i = S_i(δ_ij − S_j)) is S ⊙ (g − Σ_j g_j S_j): O(n)
    // per row, and written with ops so that it can be differentiated again.
    const std::int64_t axis = a.attrs.get<std::int64_t>("axis", -1);
    const Tensor& s = a.output;
    const Tensor& g = a.grad_output;
    return std::vector<Tensor>{mul(s, sub(g, sum(mul(g, s), {axis}, true)))};
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor softmax(const Tensor& x, std::int64_t axis) {
  static const OpDef& op = registry().get("softmax");
  Attrs attrs;
  if (axis != -1) attrs.set("axis", axis);
  return apply(op, {x}, std::move(attrs));
}

Tensor softmax_jacobian(const Tensor& x) {
  if (x.dim() == 0)
    throw ShapeError("softmax_jacobian: needs at least one axis, got shape " +
                     to_string(x.shape()));
  const Tensor s = [&] {
    NoGradGuard no_grad;
    return softmax(x, -1);
  }();
  const std::int64_t n = x.shape().back();
  Shape out_shape = x.shape();
  out_shape.push_back(n);
  Tensor out = Tensor::empty(out_shape, x.dtype());
  dispatch_floating(x.dtype(), "softmax_jacobian", [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
    const std::int64_t rows = n == 0 ? 0 : s.numel() / n;
    for (std::int64_t r = 0; r < rows; ++r) {
      Eigen::Map<const Vec> sr(s.data<T>() + r * n, n);
      detail::MatMap<T> j(out.data<T>() + r * n * n, n, n);
      j = -sr * sr.transpose();  // J = diag(S) − S Sᵀ
      j.diagonal() += sr;
    }
  });
  return out;
}

}  // namespace dagrad

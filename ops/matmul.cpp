#include <dagrad/ops/matmul.hpp>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/core/threads.hpp>
#include <dagrad/ops/detail/gemm.hpp>
#include <dagrad/ops/detail/kernels.hpp>
#include <dagrad/ops/reshape.hpp>
#include <dagrad/ops/sum_to.hpp>

namespace dagrad {

namespace {

// Shapes of one call with 1-D operands promoted to matrices, and the batch broadcast.
struct MatmulPlan {
  Shape a, b;            // promoted operand shapes (rank >= 2)
  Shape batch;           // broadcast leading dimensions
  std::int64_t m, k, n;  // op(a) is m x k, op(b) is k x n
  Shape out;             // result shape (promoted extents dropped again)
};

MatmulPlan plan(const Shape& a_shape, const Shape& b_shape, bool ta, bool tb) {
  auto fail = [&] {
    return ShapeError("matmul: cannot multiply " + to_string(a_shape) + (ta ? "ᵀ" : "") + " by " +
                      to_string(b_shape) + (tb ? "ᵀ" : ""));
  };
  if (a_shape.empty() || b_shape.empty()) throw fail();
  if ((ta && a_shape.size() == 1) || (tb && b_shape.size() == 1)) throw fail();
  MatmulPlan p;
  p.a = a_shape.size() == 1 ? Shape{1, a_shape[0]} : a_shape;
  p.b = b_shape.size() == 1 ? Shape{b_shape[0], 1} : b_shape;
  const std::size_t ra = p.a.size(), rb = p.b.size();
  p.m = ta ? p.a[ra - 1] : p.a[ra - 2];
  const std::int64_t ka = ta ? p.a[ra - 2] : p.a[ra - 1];
  const std::int64_t kb = tb ? p.b[rb - 1] : p.b[rb - 2];
  p.n = tb ? p.b[rb - 2] : p.b[rb - 1];
  if (ka != kb) throw fail();
  p.k = ka;
  const Shape batch_a(p.a.begin(), p.a.end() - 2), batch_b(p.b.begin(), p.b.end() - 2);
  try {
    p.batch = broadcast_shapes(batch_a, batch_b, "matmul");
  } catch (const ShapeError&) {
    throw fail();
  }
  p.out = p.batch;
  if (a_shape.size() != 1) p.out.push_back(p.m);
  if (b_shape.size() != 1) p.out.push_back(p.n);
  return p;
}

// O = op(A)·op(B) for one batch entry of the plan.
template <class T>
void gemm(const T* pa, const T* pb, T* po, const MatmulPlan& p, bool ta, bool tb) {
  detail::gemm<T>(ta, tb, p.m, p.n, p.k, T(1), pa, pb, T(0), po);
}

// O += scale · op(X)·op(Y) for row-major X (stored [xr, xc]) and Y, O being [m, n].
template <class T>
void gemm_accumulate(T* po, const T* px, std::int64_t xr, std::int64_t xc, bool tx, const T* py,
                     std::int64_t yr, std::int64_t yc, bool ty, T scale) {
  const std::int64_t m = tx ? xc : xr, k = tx ? xr : xc, n = ty ? yr : yc;
  detail::gemm<T>(tx, ty, m, n, k, scale, px, py, T(1), po);
}

Tensor forward(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  const MatmulPlan p = plan(a.shape(), b.shape(), ta, tb);
  Tensor out = Tensor::empty(p.out, a.dtype());
  if (out.numel() == 0) return out;
  if (p.k == 0) return zeros(p.out, a.dtype());
  dispatch_floating(a.dtype(), "matmul", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const Shape batch_a(p.a.begin(), p.a.end() - 2), batch_b(p.b.begin(), p.b.end() - 2);
    const std::int64_t nb = numel(p.batch);
    if (nb == 1) {
      gemm<T>(a.data<T>(), b.data<T>(), out.data<T>(), p, ta, tb);
      return;
    }
    // Batch offsets through broadcasting: walk the batch index, map it to each operand.
    const auto strides_out = contiguous_strides(p.batch);
    const auto strides_a = contiguous_strides(batch_a), strides_b = contiguous_strides(batch_b);
    const std::size_t rank = p.batch.size();
    for (std::int64_t i = 0; i < nb; ++i) {
      std::int64_t ia = 0, ib = 0, rem = i;
      for (std::size_t d = 0; d < rank; ++d) {
        const std::int64_t idx = rem / strides_out[d];
        rem %= strides_out[d];
        const std::size_t da = d + batch_a.size(), db = d + batch_b.size();
        if (da >= rank && batch_a[da - rank] != 1) ia += idx * strides_a[da - rank];
        if (db >= rank && batch_b[db - rank] != 1) ib += idx * strides_b[db - rank];
      }
      gemm<T>(a.data<T>() + ia * p.m * p.k, b.data<T>() + ib * p.k * p.n,
              out.data<T>() + i * p.m * p.n, p, ta, tb);
    }
  });
  return out;
}

}  // namespace

namespace ops_table {
void register_matmul(OpRegistry& reg) {
  OpDef op;
  op.name = "matmul";
  op.min_inputs = op.max_inputs = 2;
  op.doc = "matrix product a @ b (batched, broadcasting leading axes)";
  op.label = [](const Attrs& attrs) {
    const bool ta = attrs.get("transpose_a", false), tb = attrs.get("transpose_b", false);
    return std::string("matmul") +
           (ta || tb ? std::string("(") + (ta ? "aᵀ" : "a") + "·" + (tb ? "bᵀ" : "b") + ")" : "");
  };
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    const DType d = detail::floating_dtype(in, "matmul");
    return TensorMeta{plan(in[0].shape(), in[1].shape(), attrs.get("transpose_a", false),
                           attrs.get("transpose_b", false))
                          .out,
                      d};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    return forward(in[0], in[1], attrs.get("transpose_a", false), attrs.get("transpose_b", false));
  };
  // Per batch C = op(A)·op(B), so ∂C[i,c]/∂op(A)[i,k] = op(B)[k,c] and ∂C[i,c]/∂op(B)[k,c] =
  // op(A)[i,k]: in row-major order J_op(A) = I_m ⊗ op(B)ᵀ and J_op(B) = op(A) ⊗ I_n. A transposed
  // operand permutes the columns; a broadcast batch repeats its block in every batch it feeds.
  op.jacobian = [](std::span<const Tensor> in, const Tensor& out, const Attrs& attrs,
                   std::size_t input) {
    const bool ta = attrs.get("transpose_a", false), tb = attrs.get("transpose_b", false);
    const MatmulPlan p = plan(in[0].shape(), in[1].shape(), ta, tb);
    const Shape batch_a(p.a.begin(), p.a.end() - 2), batch_b(p.b.begin(), p.b.end() - 2);
    const auto src_a = detail::broadcast_sources(batch_a, p.batch);
    const auto src_b = detail::broadcast_sources(batch_b, p.batch);
    const std::int64_t m = p.m, k = p.k, n = p.n;
    // Offsets of op(A)[i,kk] and op(B)[kk,c] inside one stored block of A ([m,k] or [k,m]) / B.
    auto at_a = [&](std::int64_t i, std::int64_t kk) { return ta ? kk * m + i : i * k + kk; };
    auto at_b = [&](std::int64_t kk, std::int64_t c) { return tb ? c * k + kk : kk * n + c; };
    return detail::fill_jacobian(out.numel(), in[input].numel(), out.dtype(), [&](auto& j) {
      using T = typename std::decay_t<decltype(j)>::Scalar;
      const T* pa = in[0].template data<T>();
      const T* pb = in[1].template data<T>();
      for (std::size_t b = 0; b < src_a.size(); ++b) {
        const std::int64_t off_a = src_a[b] * m * k, off_b = src_b[b] * k * n;
        for (std::int64_t i = 0; i < m; ++i)
          for (std::int64_t c = 0; c < n; ++c) {
            const std::int64_t row = (static_cast<std::int64_t>(b) * m + i) * n + c;
            for (std::int64_t kk = 0; kk < k; ++kk) {
              if (input == 0)
                j(row, off_a + at_a(i, kk)) = pb[off_b + at_b(kk, c)];
              else
                j(row, off_b + at_b(kk, c)) = pa[off_a + at_a(i, kk)];
            }
          }
      }
    });
  };
  op.vjp = [](const VjpArgs& args) {
    const bool ta = args.attrs.get("transpose_a", false);
    const bool tb = args.attrs.get("transpose_b", false);
    const Tensor& a0 = args.inputs[0];
    const Tensor& b0 = args.inputs[1];
    const MatmulPlan p = plan(a0.shape(), b0.shape(), ta, tb);
    // Work on the promoted (matrix) shapes; reshapes are views.
    const Tensor a = a0.shape() == p.a ? a0 : reshape(a0, p.a);
    const Tensor b = b0.shape() == p.b ? b0 : reshape(b0, p.b);
    Shape g_shape = p.batch;
    g_shape.push_back(p.m);
    g_shape.push_back(p.n);
    const Tensor g =
        args.grad_output.shape() == g_shape ? args.grad_output : reshape(args.grad_output, g_shape);
    Tensor ga, gb;
    if (args.needs_grad[0]) {
      // C = op(A)·op(B): d op(A) = g·op(B)ᵀ; transposing back when A entered transposed.
      ga = ta ? matmul(b, g, tb, true) : matmul(g, b, false, !tb);
      // Reduce broadcast batch axes, then undo the 1-D promotion.
      ga = sum_to(ga, p.a);
      if (ga.shape() != a0.shape()) ga = reshape(ga, a0.shape());
    }
    if (args.needs_grad[1]) {
      gb = tb ? matmul(g, a, true, ta) : matmul(a, g, !ta, false);
      gb = sum_to(gb, p.b);
      if (gb.shape() != b0.shape()) gb = reshape(gb, b0.shape());
    }
    return std::vector<Tensor>{ga, gb};
  };
  // The same derivatives added straight into a buffer (Note [Fused updates]): 2-D operands only.
  op.accumulate_vjp = [](const VjpArgs& args, std::size_t input, Tensor& into, double scale) {
    const bool ta = args.attrs.get("transpose_a", false);
    const bool tb = args.attrs.get("transpose_b", false);
    const Tensor& a = args.inputs[0];
    const Tensor& b = args.inputs[1];
    const Tensor& g = args.grad_output;
    if (a.dim() != 2 || b.dim() != 2 || g.dim() != 2) return false;
    const MatmulPlan p = plan(a.shape(), b.shape(), ta, tb);
    dispatch_floating(a.dtype(), "matmul", [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* out = into.data<T>();
      const T* pa = a.data<T>();
      const T* pb = b.data<T>();
      const T* pg = g.data<T>();
      const T s = static_cast<T>(scale);
      const std::int64_t ar = a.shape()[0], ac = a.shape()[1], br = b.shape()[0], bc = b.shape()[1];
      if (input ==
          0)  // d op(A) = g·op(B)ᵀ, so dA = g·op(B)ᵀ, or op(B)·gᵀ when A entered transposed
        ta ? gemm_accumulate(out, pb, br, bc, tb, pg, p.m, p.n, true, s)
           : gemm_accumulate(out, pg, p.m, p.n, false, pb, br, bc, !tb, s);
      else  // d op(B) = op(A)ᵀ·g, so dB = op(A)ᵀ·g, or gᵀ·op(A) when B entered transposed
        tb ? gemm_accumulate(out, pg, p.m, p.n, true, pa, ar, ac, ta, s)
           : gemm_accumulate(out, pa, ar, ac, !ta, pg, p.m, p.n, false, s);
    });
    return true;
  };
  reg.add(std::move(op));
}
}  // namespace ops_table

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b) {
  static const OpDef& op = registry().get("matmul");
  Attrs attrs;
  if (transpose_a) attrs.set("transpose_a", true);
  if (transpose_b) attrs.set("transpose_b", true);
  return apply(op, {a, b}, std::move(attrs));
}

}  // namespace dagrad

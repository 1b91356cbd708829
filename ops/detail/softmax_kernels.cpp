#include <dagrad/ops/detail/softmax_kernels.hpp>

#include <dagrad/ops/detail/kernels.hpp>

namespace dagrad::detail {

namespace {

// Rows of an [rows, n] matrix, reduced along each row: the common case (last axis).
template <class T>
void rows_softmax(const T* px, T* po, std::int64_t rows, std::int64_t n, bool log) {
  ConstMatMap<T> x(px, rows, n);
  MatMap<T> out(po, rows, n);
  for (std::int64_t r = 0; r < rows; ++r) {
    const T m = x.row(r).maxCoeff();
    out.row(r) = (x.row(r).array() - m).matrix();
    if (log) {
      const T lse = std::log(out.row(r).array().exp().sum());
      out.row(r).array() -= lse;
    } else {
      out.row(r) = out.row(r).array().exp().matrix();
      out.row(r) /= out.row(r).sum();
    }
  }
}

// One [n, inner] block reduced along its columns: softmax over a middle axis.
template <class T>
void block_softmax(const T* px, T* po, std::int64_t n, std::int64_t inner, bool log) {
  ConstMatMap<T> x(px, n, inner);
  MatMap<T> out(po, n, inner);
  const Eigen::Matrix<T, 1, Eigen::Dynamic> m = x.colwise().maxCoeff();
  out = x.rowwise() - m;
  if (log) {
    const Eigen::Array<T, 1, Eigen::Dynamic> lse = out.array().exp().colwise().sum().log();
    out.array().rowwise() -= lse;
  } else {
    out = out.array().exp().matrix();
    const Eigen::Array<T, 1, Eigen::Dynamic> total = out.array().colwise().sum();
    out.array().rowwise() /= total;
  }
}

}  // namespace

Tensor softmax_kernel(const Tensor& x, int axis, bool log) {
  Tensor out = Tensor::empty(x.shape(), x.dtype());
  const AxisView v = axis_view(x.shape(), axis);
  if (out.numel() == 0) return out;
  dispatch_floating(x.dtype(), log ? "log_softmax" : "softmax", [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (v.inner == 1) {
      rows_softmax<T>(x.data<T>(), out.data<T>(), v.outer, v.extent, log);
      return;
    }
    for (std::int64_t o = 0; o < v.outer; ++o)
      block_softmax<T>(x.data<T>() + o * v.extent * v.inner, out.data<T>() + o * v.extent * v.inner,
                       v.extent, v.inner, log);
  });
  return out;
}

}  // namespace dagrad::detail

namespace dagrad::detail {

Tensor softmax_dense_jacobian(const Tensor& y, int axis, bool log) {
  const std::int64_t n = y.numel();
  Tensor j = zeros({n, n}, y.dtype());
  const AxisView v = axis_view(y.shape(), axis);
  dispatch_floating(y.dtype(), "softmax_jacobian", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* py = y.data<T>();
    MatMap<T> J(j.data<T>(), n, n);
    for (std::int64_t o = 0; o < v.outer; ++o)
      for (std::int64_t i = 0; i < v.inner; ++i)
        for (std::int64_t a = 0; a < v.extent; ++a)
          for (std::int64_t b = 0; b < v.extent; ++b) {
            const std::int64_t ia = (o * v.extent + a) * v.inner + i;
            const std::int64_t ib = (o * v.extent + b) * v.inner + i;
            const T sb = log ? std::exp(py[ib]) : py[ib];
            const T delta = a == b ? T(1) : T(0);
            J(ia, ib) = log ? delta - sb : py[ia] * (delta - sb);
          }
  });
  return j;
}

}  // namespace dagrad::detail

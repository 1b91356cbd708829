#include <dagrad/ops/detail/eigen_gemm.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace dagrad::detail {

namespace {

using Eigen::Index;

template <class T>
using StridedMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
                              Eigen::OuterStride<>>;
template <class T>
using ConstStridedMap =
    Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
               Eigen::OuterStride<>>;

// Packing buffers up to this many elements (A's and B's panels together, in one block) are kept
// by each thread from one product to the next. Eigen's own product allocates them afresh each
// time, and glibc hands blocks of this size back to the system when they are freed, so every
// product page-faulted its buffers in again: GLIBC_TUNABLES that stopped the trimming made a
// 784-256-10 batch-128 training step 31 % faster on one thread (AMD EPYC VM, 2026-12-04). That
// covers every product of the MLPs here; bigger panels are allocated per product, as Eigen does.
// A thread keeps at most 4 MB for float32 and 8 MB for float64 until it ends.
constexpr std::size_t kKeptElements = std::size_t{1} << 20;

template <class T>
struct PackingBuffer {
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> data;
  std::size_t size = 0;

  T* at_least(std::size_t n) {
    if (n > size) {
      data.reset();
      size = 0;
      const std::size_t bytes = (n * sizeof(T) + 63) / 64 * 64;  // aligned_alloc wants multiples
      data.reset(static_cast<T*>(std::aligned_alloc(64, bytes)));
      if (!data) throw std::bad_alloc();
      size = n;
    }
    return data.get();
  }
};

Index round_up(Index x, Index multiple) {
  return (x + multiple - 1) / multiple * multiple;
}

// Eigen's blocking for one row-major product, pointing at this thread's kept buffers when they
// are small enough to keep (else Eigen allocates its own, as it would anyway).
template <class T>
class KeptBlocking : public Eigen::internal::level3_blocking<T, T> {
  using Traits = Eigen::internal::gebp_traits<T, T>;
  static_assert(kEigenBlockColumns % Traits::mr == 0 && kEigenBlockRows % Traits::nr == 0,
                "block edges must fall on Eigen's micro-kernel widths");

 public:
  KeptBlocking(Index rows, Index cols, Index depth) {
    // Eigen computes a row-major product as its column-major transpose: its "rows" are our
    // columns (as in its gemm_blocking_space for a row-major result).
    this->m_mc = cols;
    this->m_nc = rows;
    this->m_kc = depth;
    Eigen::internal::computeProductBlockingSizes<T, T, 1>(this->m_kc, this->m_mc, this->m_nc,
                                                          Index{1});
    // Panels that cut the block start on multiples of the edge units from the block's start, so
    // a block that starts on one covers its elements with the kernels the whole product would.
    // (Eigen leaves a panel narrower than one micro-kernel unrounded: 21 wide for a 2×4096×128
    // float product with AVX2.)
    if (this->m_mc < cols) this->m_mc = std::min(cols, round_up(this->m_mc, kEigenBlockColumns));
    if (this->m_nc < rows) this->m_nc = std::min(rows, round_up(this->m_nc, kEigenBlockRows));
    const auto size_a = static_cast<std::size_t>(this->m_mc * this->m_kc);
    const auto size_b = static_cast<std::size_t>(this->m_kc * this->m_nc);
    if (size_a + size_b > kKeptElements) return;
    thread_local PackingBuffer<T> kept;
    const std::size_t b_offset = round_up(static_cast<Index>(size_a), 64 / sizeof(T));
    this->m_blockA = kept.at_least(b_offset + size_b);
    this->m_blockB = this->m_blockA + b_offset;
  }
};

// C += α·op(A)·op(B) through Eigen's GEMM driver with kept buffers. Storage orders say how each
// operand is laid out: op(A) is A itself (row-major) or A's transpose (column-major), and so on.
template <class T, int LhsOrder, int RhsOrder>
void kept_gemm(Index rows, Index cols, Index depth, const T* lhs, Index lhs_stride, const T* rhs,
               Index rhs_stride, T* res, Index res_stride, T alpha) {
  KeptBlocking<T> blocking(rows, cols, depth);
  Eigen::internal::general_matrix_matrix_product<Index, T, LhsOrder, false, T, RhsOrder, false,
                                                 Eigen::RowMajor, 1>::run(rows, cols, depth, lhs,
                                                                          lhs_stride, rhs,
                                                                          rhs_stride, res, 1,
                                                                          res_stride, alpha,
                                                                          blocking, nullptr);
}

}  // namespace

template <class T>
void eigen_gemm_block(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                      const T* a, const T* b, T beta, T* c, std::int64_t i0, std::int64_t rows,
                      std::int64_t j0, std::int64_t cols) {
  StridedMap<T> C(c + i0 * n + j0, rows, cols, Eigen::OuterStride<>(n));
  if (k == 0) {  // an empty sum (Eigen's blocking would divide by it)
    if (beta == T(0)) C.setZero();
    return;
  }
  // A is stored [k, m] when transposed, else [m, k]; B is stored [n, k] when transposed, else
  // [k, n]. Slices keep the stored row length as their stride.
  const T* a0 = ta ? a + i0 : a + i0 * k;
  const T* b0 = tb ? b + j0 * k : b + j0;
  const Index a_stride = ta ? m : k, b_stride = tb ? k : n;
  // Products Eigen itself would not run through its GEMM driver (a row, a column, or tiny) go
  // through its expressions, which pick the kernels. Decided on the whole product, not the
  // block: every slab of a product then runs the same kernels, whatever the thread count.
  if (m < 2 || n < 2 || m + n + k < 20) {
    const ConstStridedMap<T> A(a0, ta ? k : rows, ta ? rows : k, Eigen::OuterStride<>(a_stride));
    const ConstStridedMap<T> B(b0, tb ? cols : k, tb ? k : cols, Eigen::OuterStride<>(b_stride));
    auto write = [&](const auto& product) {
      if (beta == T(0))
        C.noalias() = alpha * product;
      else
        C.noalias() += alpha * product;
    };
    if (!ta && !tb)
      write(A * B);
    else if (ta && !tb)
      write(A.transpose() * B);
    else if (!ta && tb)
      write(A * B.transpose());
    else
      write(A.transpose() * B.transpose());
    return;
  }
  if (beta == T(0)) C.setZero();  // the driver accumulates
  constexpr int R = Eigen::RowMajor, Cm = Eigen::ColMajor;
  if (!ta && !tb)
    kept_gemm<T, R, R>(rows, cols, k, a0, a_stride, b0, b_stride, C.data(), n, alpha);
  else if (ta && !tb)
    kept_gemm<T, Cm, R>(rows, cols, k, a0, a_stride, b0, b_stride, C.data(), n, alpha);
  else if (!ta && tb)
    kept_gemm<T, R, Cm>(rows, cols, k, a0, a_stride, b0, b_stride, C.data(), n, alpha);
  else
    kept_gemm<T, Cm, Cm>(rows, cols, k, a0, a_stride, b0, b_stride, C.data(), n, alpha);
}

template void eigen_gemm_block<float>(bool, bool, std::int64_t, std::int64_t, std::int64_t, float,
                                      const float*, const float*, float, float*, std::int64_t,
                                      std::int64_t, std::int64_t, std::int64_t);
template void eigen_gemm_block<double>(bool, bool, std::int64_t, std::int64_t, std::int64_t, double,
                                       const double*, const double*, double, double*, std::int64_t,
                                       std::int64_t, std::int64_t, std::int64_t);

}  // namespace dagrad::detail

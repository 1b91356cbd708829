#include <dagrad/ops/detail/gemm.hpp>

#include <algorithm>
#include <cassert>
#include <climits>

#include <dagrad/core/threads.hpp>
#include <dagrad/ops/detail/kernels.hpp>

#ifdef DAGRAD_HAVE_BLAS
#include <cblas.h>
#include <omp.h>
#endif

namespace dagrad::detail {

namespace {

template <class T>
void eigen_gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                const T* a, const T* b, T beta, T* c) {
  MatMap<T> C(c, m, n);
  if (k == 1) {
    // An outer product (the weight gradient of a batch of one): op(A) and op(B) are then a
    // column and a row whatever the transposes; the GEMM path would pack both for nothing.
    // Row by row (C is row-major): no temporary for α·a, and each row is one vectorised axpy.
    using RowVec = Eigen::Matrix<T, 1, Eigen::Dynamic>;
    const Eigen::Map<const RowVec> row(b, n);
    for (std::int64_t i = 0; i < m; ++i) {
      if (beta == T(0))
        C.row(i).noalias() = (alpha * a[i]) * row;
      else
        C.row(i).noalias() += (alpha * a[i]) * row;
    }
    return;
  }
  ConstMatMap<T> A(a, ta ? k : m, ta ? m : k), B(b, tb ? n : k, tb ? k : n);
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
}

#ifdef DAGRAD_HAVE_BLAS
// OpenBLAS's interface takes int extents; bigger products stay with Eigen.
bool fits_blas(std::int64_t m, std::int64_t n, std::int64_t k) {
  return std::max({m, n, k}) <= INT_MAX;
}

// The OpenBLAS loaded at run time is its OpenMP build, whose threads follow omp_set_num_threads
// (KernelThreadsScope). A program linked elsewhere may load the pthread build through Debian's
// alternatives link instead, whose own threads would ignore dagrad's setting and fight OpenMP's
// for the cores: then Eigen's kernels are used.
bool blas_usable() {
  static const bool usable = openblas_get_parallel() == 2;
  return usable;
}

void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha,
               const float* a, int lda, const float* b, int ldb, float beta, float* c) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
}
void blas_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
               const double* a, int lda, const double* b, int ldb, double beta, double* c) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
}
#endif

}  // namespace

template <class T>
void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha, const T* a,
          const T* b, T beta, T* c) {
  assert(beta == T(0) || beta == T(1));  // the Eigen path knows no other
  if (m == 0 || n == 0) return;
  // Large products run on dagrad::num_threads() threads, small ones on this thread only.
  const KernelThreadsScope threads(m * n * k);
  if (k == 0) {  // an empty sum: BLAS would reject the zero leading dimension
    if (beta == T(0)) MatMap<T>(c, m, n).setZero();
    return;
  }
#ifdef DAGRAD_HAVE_BLAS
  // OpenBLAS's kernels beat Eigen's at every MLP shape measured on this VM, from 16×16×16 up
  // (2026-12-04, one thread: 1024×512×784 102 against 81-85 GFLOP/s, 32×256×784 91 against 80,
  // 128×10×256 71 against 60); a rank-1 update is Eigen's (no packing at all).
  // Only on one thread, though: OpenBLAS's threads wait for each other's packed panels by
  // spinning with sched_yield, so when another process holds a core a product stalls for whole
  // time slices. With a compile running on the 2-core VM, one epoch of the Fashion-MNIST job took
  // 9.9-13.1 s with OpenBLAS on two threads, 3.6 s with Eigen's parallel GEMM, 1.8 s on one
  // thread; 784×256×32 alone 8.0 ms against Eigen's 0.25. (OpenBLAS 0.3.21's multi-threaded
  // calls also rewrite a process-wide thread count and buffers without a lock.) So products
  // split over threads are Eigen's.
  if (k > 1 && fits_blas(m, n, k) && blas_usable() && omp_get_max_threads() == 1) {
    const int lda = static_cast<int>(ta ? m : k), ldb = static_cast<int>(tb ? k : n);
    blas_gemm(ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
              static_cast<int>(n), static_cast<int>(k), alpha, a, lda, b, ldb, beta, c);
    return;
  }
#endif
  eigen_gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
}

template void gemm<float>(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*,
                          const float*, float, float*);
template void gemm<double>(bool, bool, std::int64_t, std::int64_t, std::int64_t, double,
                           const double*, const double*, double, double*);

std::string gemm_backend() {
#ifdef DAGRAD_HAVE_BLAS
  std::string config = openblas_get_config();  // "OpenBLAS 0.3.21 ... USE_OPENMP Cooperlake ..."
  while (!config.empty() && config.back() == ' ') config.pop_back();
  return blas_usable() ? config : "eigen (the loaded " + config + " is not the OpenMP build)";
#else
  return "eigen";
#endif
}

}  // namespace dagrad::detail

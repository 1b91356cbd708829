#include <dagrad/ops/detail/gemm.hpp>

#include <algorithm>
#include <cassert>
#include <climits>
#include <mutex>

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
// Measured on 2 cores, OpenBLAS on two threads against one: 8×256×784 (1.6M multiply-adds)
// 1.36× as fast, 128×128×128 1.35×, 32×512×784 1.76×; at 330K and below no change either way
// (it keeps those on one thread itself). Eigen's threads only pay from 2^24 on (threads.hpp).
constexpr std::int64_t kGemmParallelFrom = std::int64_t{1} << 20;
#else
constexpr std::int64_t kGemmParallelFrom = kParallelMinMultiplyAdds;
#endif

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

// OpenBLAS 0.3.21 keeps one process-wide thread count and set of packing buffers for its
// multi-threaded products: a call whose OpenMP setting differs from the last one rewrites both,
// unsynchronised, under a product another thread may be running, and two concurrent products
// otherwise wait on each other by spinning. So multi-threaded calls take turns here (one-thread
// calls touch none of that state and run concurrently).
std::mutex& blas_threads_mutex() {
  static std::mutex m;
  return m;
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
  const KernelThreadsScope threads(m * n * k, kGemmParallelFrom);
  if (k == 0) {  // an empty sum: BLAS would reject the zero leading dimension
    if (beta == T(0)) MatMap<T>(c, m, n).setZero();
    return;
  }
#ifdef DAGRAD_HAVE_BLAS
  // OpenBLAS's kernels beat Eigen's at every MLP shape measured on this VM, from 16×16×16 up
  // (2026-12-04, one thread: 1024×512×784 102 against 81-85 GFLOP/s, 32×256×784 91 against 80,
  // 128×10×256 71 against 60); a rank-1 update is Eigen's (no packing at all).
  if (k > 1 && fits_blas(m, n, k) && blas_usable()) {
    const int lda = static_cast<int>(ta ? m : k), ldb = static_cast<int>(tb ? k : n);
    auto call = [&] {
      blas_gemm(ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m),
                static_cast<int>(n), static_cast<int>(k), alpha, a, lda, b, ldb, beta, c);
    };
    if (omp_get_max_threads() > 1) {
      const std::lock_guard<std::mutex> one_at_a_time(blas_threads_mutex());
      call();
    } else {
      call();
    }
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

#include <dagrad/ops/detail/gemm.hpp>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <climits>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <strings.h>  // strcasecmp

#include <dagrad/core/parallel.hpp>
#include <dagrad/core/threads.hpp>
#include <dagrad/ops/detail/eigen_gemm.hpp>
#include <dagrad/ops/detail/kernels.hpp>

#ifdef DAGRAD_HAVE_BLAS
#include <cblas.h>
#endif

namespace dagrad::detail {

namespace {

// Products that read or write every element of one big operand once and do one multiply-add
// with it: memory-bound, like element-wise work. From kParallelMinElements elements of that
// operand on they are split over threads by its rows as stored, the same rows each thread
// updates in an optimizer's element-wise pass (split the same way, core/parallel.hpp), so at
// batch 1 each core keeps its half of a weight matrix and of its gradient in its own L2 cache
// from one step to the next. (Measured on the 2-core VM, 2026-12-04, 784-512-512-10 at batch 1
// on two threads, fused SGD: 144 -> 65 µs per step.)

// C = α·a·bᵀ (+ C), a rank-1 update (k = 1: the weight gradient of a batch of one): op(A) and
// op(B) are then a column and a row whatever the transposes. Row by row (C is row-major): no
// temporary for α·a, each row one vectorised axpy, and the rows split over threads.
template <class T>
void outer_product(std::int64_t m, std::int64_t n, T alpha, const T* a, const T* b, T beta, T* c,
                   int threads) {
  using RowVec = Eigen::Matrix<T, 1, Eigen::Dynamic>;
  const Eigen::Map<const RowVec> row(b, n);
  for_each_chunk(m, threads, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      Eigen::Map<RowVec> out(c + i * n, n);
      if (beta == T(0))
        out.noalias() = (alpha * a[i]) * row;
      else
        out.noalias() += (alpha * a[i]) * row;
    }
  });
}

// row_times_matrix (B not transposed) sums B's rows in kRowTimesMatrixBlocks blocks of at least
// kRowTimesMatrixMinRows rows into partial rows, so its result does not depend on the thread
// count. Eight blocks: two threads take four each, the halves of B that SGD's update of the same
// weight splits between them (784 rows: 392 and 392), and one thread writes few partial rows.
// Against one pass over B, on one thread (AMD VM, 2026-12-04, batch-1 steps): blocks of 64 rows
// cost 784-512-512-10 up to 7 %, eight blocks 2-6 %.
constexpr std::int64_t kRowTimesMatrixBlocks = 8;
constexpr std::int64_t kRowTimesMatrixMinRows = 64;

// C = α·a·op(B) (+ C) for a row a (m = 1: a layer's forward or input gradient at batch 1), split
// over B's stored rows: B's rows are op(B)'s columns when tb (each thread writes its part of C),
// else its rows (summed in fixed blocks into partial rows, which are then added in order).
template <class T>
void row_times_matrix(bool tb, std::int64_t n, std::int64_t k, T alpha, const T* a, const T* b,
                      T beta, T* c, int threads) {
  using RowVec = Eigen::Matrix<T, 1, Eigen::Dynamic>;
  using ColVec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  if (tb) {  // c[j] = α·Σ_p a[p]·B[j][p]
    const Eigen::Map<const ColVec> x(a, k);
    for_each_chunk(n, threads, 16, [&](std::int64_t begin, std::int64_t end) {
      const ConstMatMap<T> rows(b + begin * k, end - begin, k);
      // A column destination: Eigen evaluates `α·(rows·x)` straight into it, where a transposed
      // one would make it allocate a temporary inside the team.
      Eigen::Map<ColVec> dst(c + begin, end - begin);
      if (beta == T(0))
        dst.noalias() = alpha * (rows * x);
      else
        dst.noalias() += alpha * (rows * x);
    });
    return;
  }
  // c = α·Σ_p a[p]·B[p][:]: B's rows summed in blocks fixed by k into partial rows, threads
  // taking whole blocks, then the partial rows added in order.
  Eigen::Map<RowVec> out(c, n);
  const std::int64_t block_rows =
      std::max(kRowTimesMatrixMinRows, (k + kRowTimesMatrixBlocks - 1) / kRowTimesMatrixBlocks);
  const std::int64_t blocks = (k + block_rows - 1) / block_rows;
  const auto block_product = [&](std::int64_t block) {
    const std::int64_t begin = block * block_rows;
    const std::int64_t rows = std::min(k, begin + block_rows) - begin;
    return Eigen::Map<const RowVec>(a + begin, rows) * ConstMatMap<T>(b + begin * n, rows, n);
  };
  if (blocks == 1) {  // one pass of axpys over B's rows, straight into C
    if (beta == T(0))
      out.noalias() = alpha * block_product(0);
    else
      out.noalias() += alpha * block_product(0);
    return;
  }
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> partial(blocks, n);
  for_each_chunk(blocks, threads, 1, [&](std::int64_t first, std::int64_t end) {
    for (std::int64_t block = first; block < end; ++block)
      partial.row(block).noalias() = block_product(block);
  });
  RowVec sum = partial.row(0);
  for (std::int64_t block = 1; block < blocks; ++block) sum += partial.row(block);
  if (beta == T(0))
    out.noalias() = alpha * sum;
  else
    out.noalias() += alpha * sum;
}

#ifdef DAGRAD_HAVE_BLAS
// OpenBLAS's interface takes int extents; bigger products stay with Eigen.
bool fits_blas(std::int64_t m, std::int64_t n, std::int64_t k) {
  return std::max({m, n, k}) <= INT_MAX;
}

// The OpenBLAS loaded at run time is its OpenMP build: it runs single-threaded inside an OpenMP
// team and otherwise takes its thread count from OpenMP (KernelThreadsScope), so dagrad keeps it
// on one thread per call. A program linked elsewhere may load the pthread build through Debian's
// alternatives link instead, whose own threads would ignore that and fight OpenMP's for the
// cores: then Eigen's kernels are used.
bool blas_usable() {
  static const bool usable = openblas_get_parallel() == 2;
  return usable;
}

// Whether OpenBLAS runs AVX-512 kernels on this CPU. Debian's 0.3.21 picks its kernels by CPU
// model, and takes the AMD EPYC VM's Zen 5 (family 26, AVX-512) for a Haswell (AVX2).
bool blas_has_avx512_kernels() {
  const char* core = openblas_get_corename();
  for (const char* name : {"skylakex", "cooperlake", "sapphirerapids"})
    if (strcasecmp(core, name) == 0) return true;
  return false;
}

// OpenBLAS's kernels, unless this build's Eigen has wider vectors than they do. Measured on the
// 2-core VMs (2026-12-04, one thread, float32): on an Intel Xeon where OpenBLAS ran its Cooperlake
// (AVX-512) kernels they beat Eigen's at every MLP shape from 16×16×16 up (1024×512×784: 102
// against 81-85 GFLOP/s; 128×10×256: 71 against 60); on an AMD EPYC where it ran its Haswell
// kernels Eigen's AVX-512 ones took 0.65-0.74 of its time at every MLP shape from 32×256×784 up
// (128×512×784: 176 against 120 GFLOP/s).
bool blas_preferred() {
#ifdef EIGEN_VECTORIZE_AVX512  // this build's Eigen kernels use AVX-512
  static const bool preferred = blas_usable() && blas_has_avx512_kernels();
#else
  static const bool preferred = blas_usable();
#endif
  return preferred;
}

void blas_call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, float alpha,
               const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void blas_call(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int m, int n, int k, double alpha,
               const double* a, int lda, const double* b, int ldb, double beta, double* c,
               int ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// C's rows [i0, i0 + rows) and columns [j0, j0 + cols) as one OpenBLAS call on the matching
// slices of op(A) and op(B), each keeping its leading dimension.
template <class T>
void blas_block(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                const T* a, const T* b, T beta, T* c, std::int64_t i0, std::int64_t rows,
                std::int64_t j0, std::int64_t cols) {
  const T* a0 = ta ? a + i0 : a + i0 * k;  // A is stored [k, m] when transposed, else [m, k]
  const T* b0 = tb ? b + j0 * k : b + j0;  // B is stored [n, k] when transposed, else [k, n]
  blas_call(ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(rows),
            static_cast<int>(cols), static_cast<int>(k), alpha, a0, static_cast<int>(ta ? m : k),
            b0, static_cast<int>(tb ? k : n), beta, c + i0 * n + j0, static_cast<int>(n));
}
#endif

// Products of at least this many multiply-adds are split over num_threads() threads. Measured
// on a quiet 2-core VM (2026-12-04, two threads, training steps): 784-512-512-10 at batch 32,
// whose products are 8-13 M multiply-adds and ran on one thread when only products from 2^24
// were threaded, went from 1,356 to 922 µs; thresholds of 2^18 and 2^22 did the same within
// noise.
constexpr std::int64_t kSplitMinMultiplyAdds = std::int64_t{1} << 20;

// Slab edges fall on multiples of Eigen's block units (ops/detail/eigen_gemm.hpp): 16 rows of C
// or 48 columns. At other column edges some columns went through Eigen's narrower kernels, which
// sum over k in another order, so results changed with the thread count (a reviewer's check at
// 32×256×784, 128×512×784 and their transposes on 1-3 slabs: bit for bit the same with 48, not
// with 16).
constexpr std::int64_t kRowSlabUnit = kEigenBlockRows;
constexpr std::int64_t kColumnSlabUnit = kEigenBlockColumns;

// How a product runs: which kernels, on how many threads, and for a split product whether its
// slabs are bands of rows or of columns.
struct Plan {
  enum class Kernel { eigen, blas, outer_product, row_times_matrix };
  Kernel kernel = Kernel::eigen;
  int threads = 1;
  bool by_rows = true;
};

// The product split over `threads` OpenMP threads, one slab of C each (a band of rows or columns,
// its units shared out evenly), each slab one single-threaded call of the plan's kernels, which
// pack their own panels: no thread waits for another's, only the team's end joins them. (Not
// OpenBLAS's own threads: they wait for each other's packed panels by spinning
// with sched_yield, so when another process holds a core a product stalls for whole time slices;
// with a compile running on the 2-core VM one Fashion-MNIST epoch took 9.9-13.1 s on two
// OpenBLAS threads, 1.8 s on one; and 0.3.21's threaded calls rewrite a process-wide thread count
// and buffers without a lock.) One slab per thread measured best on a quiet 2-core VM
// (2026-12-04; 2 or 4 per thread with dynamic scheduling were 3-25 % slower). Eigen's packing
// buffers may need allocating, so a failure is caught in the team and rethrown after it.
template <class T>
void run_slabs(Plan plan, bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
               const T* a, const T* b, T beta, T* c) {
  const auto block = [&](std::int64_t i0, std::int64_t rows, std::int64_t j0, std::int64_t cols) {
#ifdef DAGRAD_HAVE_BLAS
    if (plan.kernel == Plan::Kernel::blas) {
      blas_block(ta, tb, m, n, k, alpha, a, b, beta, c, i0, rows, j0, cols);
      return;
    }
#endif
    eigen_gemm_block(ta, tb, m, n, k, alpha, a, b, beta, c, i0, rows, j0, cols);
  };
  // OpenBLAS reads its thread count from OpenMP's setting outside a team: one here. (Eigen's
  // driver, called without parallel info, never threads: its products need no scope.)
  std::optional<KernelThreadsScope> one_thread;
  if (plan.kernel == Plan::Kernel::blas) one_thread.emplace(1);
  if (plan.threads == 1) {
    block(0, m, 0, n);
    return;
  }
  const bool by_rows = plan.by_rows;
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(plan.threads));
  for_each_chunk(by_rows ? m : n, plan.threads, by_rows ? kRowSlabUnit : kColumnSlabUnit,
                 [&](std::int64_t begin, std::int64_t end, int chunk) {
                   try {
                     if (by_rows)
                       block(begin, end - begin, 0, n);
                     else
                       block(0, m, begin, end - begin);
                   } catch (...) {
                     failures[static_cast<std::size_t>(chunk)] = std::current_exception();
                   }
                 });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

std::atomic<GemmKernels> forced_kernels{GemmKernels::automatic};

Plan plan_for(std::int64_t m, std::int64_t n, std::int64_t k) {
  using Kernel = Plan::Kernel;
  const std::int64_t multiply_adds = m * n * k;
  // Inside a caller's own OpenMP team this thread is one of many already.
  const bool may_thread = !in_parallel_region();
  // The memory-bound shapes, split by the big operand's size (see outer_product).
  const int memory_bound_threads =
      may_thread && multiply_adds >= kParallelMinElements ? num_threads() : 1;
  if (k == 1) return {.kernel = Kernel::outer_product, .threads = memory_bound_threads};
  // On one thread too: OpenBLAS's sgemm packs all of B for a single row (its copy took 25 % of
  // a 784-256-10 batch-1 step on the AMD VM, whose OpenBLAS runs its Haswell kernels).
  if (m == 1) return {.kernel = Kernel::row_times_matrix, .threads = memory_bound_threads};
  // Bands across the longer side, unless only the other side has room for two slabs.
  const bool rows_split = m >= 2 * kRowSlabUnit, columns_split = n >= 2 * kColumnSlabUnit;
  const bool by_rows = rows_split && (m >= n || !columns_split);
  const bool split =
      may_thread && multiply_adds >= kSplitMinMultiplyAdds && (rows_split || columns_split);
  const int threads = split ? num_threads() : 1;
#ifdef DAGRAD_HAVE_BLAS
  const GemmKernels forced = forced_kernels.load(std::memory_order_relaxed);
  const bool blas =
      forced == GemmKernels::automatic ? blas_preferred() : forced == GemmKernels::openblas;
  if (blas && fits_blas(m, n, k) && blas_usable())
    return {.kernel = Kernel::blas, .threads = threads, .by_rows = by_rows};
#endif
  return {.kernel = Kernel::eigen, .threads = threads, .by_rows = by_rows};
}

}  // namespace

GemmKernels force_gemm_kernels(GemmKernels kernels) {
  return forced_kernels.exchange(kernels, std::memory_order_relaxed);
}

bool gemm_has_openblas() {
#ifdef DAGRAD_HAVE_BLAS
  return blas_usable();
#else
  return false;
#endif
}

int gemm_threads(std::int64_t m, std::int64_t n, std::int64_t k) {
  return plan_for(m, n, k).threads;
}

template <class T>
void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha, const T* a,
          const T* b, T beta, T* c) {
  assert(beta == T(0) || beta == T(1));  // the Eigen path knows no other
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum: BLAS would reject the zero leading dimension
    if (beta == T(0)) MatMap<T>(c, m, n).setZero();
    return;
  }
  const Plan plan = plan_for(m, n, k);
  switch (plan.kernel) {
    case Plan::Kernel::outer_product:
      outer_product(m, n, alpha, a, b, beta, c, plan.threads);
      return;
    case Plan::Kernel::row_times_matrix:
      row_times_matrix(tb, n, k, alpha, a, b, beta, c, plan.threads);
      return;
    case Plan::Kernel::blas:
    case Plan::Kernel::eigen:
      run_slabs(plan, ta, tb, m, n, k, alpha, a, b, beta, c);
      return;
  }
}

template void gemm<float>(bool, bool, std::int64_t, std::int64_t, std::int64_t, float, const float*,
                          const float*, float, float*);
template void gemm<double>(bool, bool, std::int64_t, std::int64_t, std::int64_t, double,
                           const double*, const double*, double, double*);

std::string gemm_backend() {
#ifdef DAGRAD_HAVE_BLAS
  std::string config = openblas_get_config();  // "OpenBLAS 0.3.21 ... USE_OPENMP Cooperlake ..."
  while (!config.empty() && config.back() == ' ') config.pop_back();
  if (!blas_usable()) return "eigen (the loaded " + config + " is not the OpenMP build)";
  if (!blas_preferred()) return "eigen (AVX-512; the loaded " + config + " has no AVX-512 kernels)";
  return config;
#else
  return "eigen";
#endif
}

}  // namespace dagrad::detail

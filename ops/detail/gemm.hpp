// The matrix-product kernel every op uses: C = α·op(A)·op(B) + β·C on contiguous row-major
// storage, transposes folded into the product (nothing is copied).
#pragma once

#include <cstdint>
#include <string>

namespace dagrad::detail {

// op(A) is m×k (A stored [k, m] when ta), op(B) is k×n (B stored [n, k] when tb), C is [m, n].
// beta is 0 (C is written, never read: it may hold garbage) or 1 (C += α·op(A)·op(B)).
// Products from 2^20 multiply-adds run on num_threads() threads, as one single-threaded call per
// thread on its own slab of C: OpenBLAS's (when the build has it, DAGRAD_BLAS, its OpenMP build
// is the one loaded, and it has AVX-512 kernels where this build's Eigen has them), else
// Eigen's. Slabs of rows are multiples of 16 rows, slabs of columns multiples of 48 columns: with
// Eigen's kernels a product's result does not depend on the thread count. Rank-1 updates (k = 1)
// and a row times a matrix (m = 1) stream one big operand, so they split like element-wise work,
// from kParallelMinElements multiply-adds, by that operand's stored rows (for m = 1 with B not
// transposed, in fixed blocks whose partial rows are added in order: the result does not depend
// on the thread count either). Smaller products run on the calling thread.
template <class T>
void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha, const T* a,
          const T* b, T beta, T* c);

// The threads gemm would run an m×n×k product on, called from this thread now: num_threads()
// for a large product, 1 for a small one or inside an OpenMP team.
int gemm_threads(std::int64_t m, std::int64_t n, std::int64_t k);

// Which kernels large products use: picked for the machine (automatic: OpenBLAS's where it has
// AVX-512 kernels or this build's Eigen has none, else Eigen's), or forced, process-wide, so
// tests can check both. Forcing OpenBLAS where it cannot run (gemm_has_openblas() false) leaves
// Eigen's. Returns the previous choice. (gemm_backend() reports the automatic choice.)
enum class GemmKernels { automatic, eigen, openblas };
GemmKernels force_gemm_kernels(GemmKernels kernels);
bool gemm_has_openblas();

// Which kernels gemm runs, for benchmark reports: openblas_get_config()'s text, or "eigen ...".
std::string gemm_backend();

}  // namespace dagrad::detail

// Eigen's matrix-product kernels on a block of C, with packing buffers kept per thread.
#pragma once

#include <cstdint>

namespace dagrad::detail {

// C's rows [i0, i0 + rows) and columns [j0, j0 + cols) of C = α·op(A)·op(B) + β·C (shapes and
// storage as gemm's, ops/detail/gemm.hpp; β is 0 or 1), on one thread, with Eigen's kernels on
// the matching slices of op(A) and op(B) read in place.
template <class T>
void eigen_gemm_block(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                      const T* a, const T* b, T beta, T* c, std::int64_t i0, std::int64_t rows,
                      std::int64_t j0, std::int64_t cols);

}  // namespace dagrad::detail

// Eigen's matrix-product kernels on a block of C, with packing buffers kept per thread.
#pragma once

#include <cstdint>

namespace dagrad::detail {

// Blocks whose edges fall on multiples of these (or on C's last row or column) give each element
// the same bits as the whole product: Eigen's micro-kernels cover 48 columns of C (the rows of the
// column-major product it computes: 3 vectors of 16 floats; every narrower kernel's width divides
// 48) and groups of 4 rows, and its narrower kernels, used at a block's edge, sum over k in
// another order.
inline constexpr std::int64_t kEigenBlockColumns = 48;
inline constexpr std::int64_t kEigenBlockRows = 16;

// C's rows [i0, i0 + rows) and columns [j0, j0 + cols) of C = α·op(A)·op(B) + β·C (shapes and
// storage as gemm's, ops/detail/gemm.hpp; β is 0 or 1), on one thread, with Eigen's kernels on
// the matching slices of op(A) and op(B) read in place.
template <class T>
void eigen_gemm_block(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                      const T* a, const T* b, T beta, T* c, std::int64_t i0, std::int64_t rows,
                      std::int64_t j0, std::int64_t cols);

}  // namespace dagrad::detail

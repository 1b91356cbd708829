#pragma once
#include <dagrad/core/tensor.hpp>

namespace dagrad {

// Matrix product, NumPy semantics: a [..., m, k] @ b [..., k, n] -> [..., m, n], leading
// (batch) dimensions broadcast; a 1-D a is a row [1, k] and a 1-D b a column [k, 1], that
// extent being dropped from the result. transpose_a / transpose_b multiply by the transpose of
// the last two axes without copying it (the derivative uses them).
// d/da = g · bᵀ, d/db = aᵀ · g, summed over broadcast batch axes.
// ShapeError: "matmul: cannot multiply [2,3] by [4,5]".
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);

}  // namespace dagrad

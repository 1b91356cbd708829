// Eigen's product kernel on a block of C (ops/detail/eigen_gemm.cpp), which gemm uses where
// OpenBLAS has no AVX-512 kernels and in builds without OpenBLAS: every transpose combination,
// blocks at offsets, C overwritten or accumulated into, tiny products (Eigen's expressions),
// GEMM-sized ones (its driver with this thread's kept packing buffers, reused across products of
// other sizes) and one whose panels are too big to keep. Checked against a triple loop in
// float64 and float32; elements outside the block must keep their values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <dagrad/ops/detail/eigen_gemm.hpp>

namespace {

struct Case {
  std::int64_t m, n, k;
  std::int64_t i0, rows, j0, cols;
};

template <class T>
std::vector<T> filled(std::int64_t size, double scale, double phase) {
  std::vector<T> v(static_cast<std::size_t>(size));
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<T>(std::sin(scale * static_cast<double>(i) + phase));
  return v;
}

template <class T>
void check(const Case& c, bool ta, bool tb, T beta, double tolerance) {
  const std::vector<T> a = filled<T>(c.m * c.k, 0.37, 0.1), b = filled<T>(c.k * c.n, 0.23, 0.7);
  const std::vector<T> before = filled<T>(c.m * c.n, 0.11, 1.3);
  std::vector<T> out = before;
  const T alpha = static_cast<T>(-0.75);
  dagrad::detail::eigen_gemm_block<T>(ta, tb, c.m, c.n, c.k, alpha, a.data(), b.data(), beta,
                                      out.data(), c.i0, c.rows, c.j0, c.cols);
  const std::string what = std::to_string(c.m) + "x" + std::to_string(c.n) + "x" +
                           std::to_string(c.k) + (ta ? " Aᵀ" : " A") + (tb ? " Bᵀ" : " B") +
                           " beta " + std::to_string(static_cast<int>(beta));
  std::int64_t wrong = 0;
  for (std::int64_t i = 0; i < c.m; ++i)
    for (std::int64_t j = 0; j < c.n; ++j) {
      const std::size_t at = static_cast<std::size_t>(i * c.n + j);
      const bool inside = i >= c.i0 && i < c.i0 + c.rows && j >= c.j0 && j < c.j0 + c.cols;
      double expect = static_cast<double>(before[at]);
      if (inside) {
        double sum = 0;
        for (std::int64_t p = 0; p < c.k; ++p) {
          const T x = ta ? a[static_cast<std::size_t>(p * c.m + i)]
                         : a[static_cast<std::size_t>(i * c.k + p)];
          const T y = tb ? b[static_cast<std::size_t>(j * c.k + p)]
                         : b[static_cast<std::size_t>(p * c.n + j)];
          sum += static_cast<double>(x) * static_cast<double>(y);
        }
        expect = static_cast<double>(alpha) * sum + (beta != T(0) ? expect : 0.0);
      }
      const double got = static_cast<double>(out[at]);
      const double bound = inside ? tolerance * (1.0 + std::abs(expect)) : 0.0;
      if (std::abs(got - expect) > bound && ++wrong <= 3)
        ADD_FAILURE() << what << ": C[" << i << "][" << j << "] = " << got << ", expected "
                      << expect << (inside ? "" : " (outside the block: must be unchanged)");
    }
  EXPECT_EQ(wrong, 0) << what;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all{
      {5, 4, 3, 0, 5, 0, 4},             // tiny: Eigen's expressions
      {9, 7, 6, 2, 1, 1, 5},             // a one-row block
      {40, 33, 17, 0, 40, 0, 33},        // the GEMM driver, odd sizes
      {64, 48, 50, 16, 32, 0, 48},       // a band of rows, as a thread's slab
      {48, 96, 70, 0, 48, 32, 48},       // a band of columns
      {131, 257, 300, 3, 120, 17, 200},  // an inner block, panels bigger than the first ones
      {37, 29, 23, 0, 37, 0, 29},        // smaller again: the kept buffers are reused
  };
  return all;
}

template <class T>
void check_all(double tolerance) {
  for (const Case& c : cases())
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (T beta : {T(0), T(1)}) check<T>(c, ta, tb, beta, tolerance);
}

TEST(EigenGemmBlock, MatchesATripleLoopInFloat64) {
  check_all<double>(1e-12);
}

TEST(EigenGemmBlock, MatchesATripleLoopInFloat32) {
  check_all<float>(2e-4);
}

// A large product: on the AMD EPYC VM (AVX-512) Eigen sizes its panels for this one at about
// 1.08 M elements, beyond the kept 2^20, so it allocates its own (its sizes follow the caches).
TEST(EigenGemmBlock, LargeProducts) {
  check<float>({1100, 1500, 1200, 0, 1100, 0, 1500}, false, true, 1.0f, 1e-3);
}

}  // namespace

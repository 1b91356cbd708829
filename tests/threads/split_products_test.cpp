// The matrix-product kernel on several threads. In builds with OpenBLAS, large products are cut
// into one slab of C per thread (split by rows or by columns, uneven slabs, transposed operands
// read in place, C overwritten or accumulated into); without it Eigen's parallel GEMM runs them.
// Every case is checked element by element against a plain triple loop, on 1, 2 and 3 threads,
// in float64 and float32, also from inside a caller's own OpenMP team.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <dagrad/core/threads.hpp>
#include <dagrad/ops/detail/gemm.hpp>

using namespace dagrad;

namespace {

struct ThreadsReset {
  ~ThreadsReset() { set_num_threads(0); }
};

struct Case {
  std::int64_t m, n, k;
  bool ta, tb;
  std::string name() const {
    return std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k) +
           (ta ? " ta" : "") + (tb ? " tb" : "");
  }
};

template <class T>
std::vector<T> random_values(std::size_t count, std::uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<T> v(count);
  for (T& x : v) x = static_cast<T>(dist(gen));
  return v;
}

// C[i][j] = beta·C[i][j] + alpha·Σ_p op(A)[i][p]·op(B)[p][j] in long double, with the sum of
// |terms| for the tolerance.
template <class T>
void check(const Case& c, T alpha, T beta, int threads, double rel) {
  const auto a = random_values<T>(static_cast<std::size_t>(c.m * c.k), 1);
  const auto b = random_values<T>(static_cast<std::size_t>(c.k * c.n), 2);
  const auto c0 = random_values<T>(static_cast<std::size_t>(c.m * c.n), 3);
  std::vector<T> out = c0;
  set_num_threads(threads);
  detail::gemm<T>(c.ta, c.tb, c.m, c.n, c.k, alpha, a.data(), b.data(), beta, out.data());

  auto op_a = [&](std::int64_t i, std::int64_t p) {
    return c.ta ? a[p * c.m + i] : a[i * c.k + p];
  };
  auto op_b = [&](std::int64_t p, std::int64_t j) {
    return c.tb ? b[j * c.k + p] : b[p * c.n + j];
  };
  for (std::int64_t i = 0; i < c.m; ++i)
    for (std::int64_t j = 0; j < c.n; ++j) {
      long double sum = 0, magnitude = 0;
      for (std::int64_t p = 0; p < c.k; ++p) {
        const long double term = static_cast<long double>(op_a(i, p)) * op_b(p, j);
        sum += term;
        magnitude += std::fabs(term);
      }
      const std::size_t at = static_cast<std::size_t>(i * c.n + j);
      const long double want = beta * static_cast<long double>(c0[at]) + alpha * sum;
      ASSERT_NEAR(static_cast<double>(out[at]), static_cast<double>(want),
                  rel * static_cast<double>(1 + magnitude))
          << c.name() << ", " << threads << " threads, element (" << i << ", " << j << ")";
    }
}

// All above the 2^20 multiply-adds from which products are split: tall (split by rows), wide
// (by columns), sides that do not divide into whole 16-wide slabs, the shortest side that is
// split (32) and one just past it.
const std::vector<Case> kCases{
    {257, 40, 131, false, false}, {37, 301, 97, false, false}, {200, 33, 200, true, false},
    {45, 250, 120, false, true},  {130, 170, 64, true, true},  {32, 2048, 20, false, false},
    {32, 32, 1024, false, false}, {33, 32, 1000, true, true},
};

TEST(SplitProducts, MatchATripleLoopInFloat64) {
  ThreadsReset reset;
  for (const Case& c : kCases)
    for (int threads : {1, 2, 3}) {
      check<double>(c, 1.0, 0.0, threads, 1e-13);
      check<double>(c, -0.5, 1.0, threads, 1e-13);  // the fused update: C += α·op(A)·op(B)
    }
}

TEST(SplitProducts, MatchATripleLoopInFloat32) {
  ThreadsReset reset;
  for (const Case& c : kCases)
    for (int threads : {1, 2, 3}) {
      check<float>(c, 1.0f, 0.0f, threads, 2e-5);
      check<float>(c, 0.25f, 1.0f, threads, 2e-5);
    }
}

// The cases whose op(A) rows are contiguous (A not transposed), so a row is a product alone.
constexpr std::size_t kRowSliceable[4] = {0, 1, 3, 5};

// A caller's own OpenMP team: each of its threads runs its product on itself alone (OpenMP's
// nested regions are off by default), and the results are those of row-by-row products.

TEST(SplitProducts, InsideACallersOwnOpenMpTeam) {
  ThreadsReset reset;
  set_num_threads(2);
  std::vector<int> failures(4, 0);
#pragma omp parallel for num_threads(2)
  for (int i = 0; i < 4; ++i) {
    const Case c = kCases[kRowSliceable[i]];
    const auto a = random_values<double>(static_cast<std::size_t>(c.m * c.k), 4);
    const auto b = random_values<double>(static_cast<std::size_t>(c.k * c.n), 5);
    std::vector<double> split(static_cast<std::size_t>(c.m * c.n)), alone = split;
    detail::gemm<double>(c.ta, c.tb, c.m, c.n, c.k, 1.0, a.data(), b.data(), 0.0, split.data());
    for (std::int64_t i0 = 0; i0 < c.m; ++i0)  // row by row: products far below any threshold
      detail::gemm<double>(c.ta, c.tb, 1, c.n, c.k, 1.0, a.data() + i0 * c.k, b.data(), 0.0,
                           alone.data() + i0 * c.n);
    for (std::size_t e = 0; e < split.size(); ++e)
      if (std::abs(split[e] - alone[e]) > 1e-12 * (1 + std::abs(alone[e]))) ++failures[i];
  }
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

// Exit code 0 when num_threads() still gives OMP_NUM_THREADS's 3 after a product, else 10 + it.
[[noreturn]] void first_product_then_exit() {
  const auto a = random_values<float>(64 * 256, 6), b = random_values<float>(256 * 128, 7);
  std::vector<float> c(64 * 128);
  detail::gemm<float>(false, false, 64, 128, 256, 1.0f, a.data(), b.data(), 0.0f, c.data());
  std::exit(num_threads() == 3 ? 0 : 10 + num_threads());
}

// The default thread count (every core, or OMP_NUM_THREADS) is read before a product first
// changes OpenMP's setting for its call, so a program that never calls set_num_threads keeps
// it. Checked in a fresh process started with OMP_NUM_THREADS=3.
TEST(SplitProducts, TheFirstProductLeavesTheDefaultThreadCount) {
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // a new process: nothing read the default yet
  setenv("OMP_NUM_THREADS", "3", 1);
  EXPECT_EXIT(first_product_then_exit(), testing::ExitedWithCode(0), "");
  unsetenv("OMP_NUM_THREADS");
}

}  // namespace

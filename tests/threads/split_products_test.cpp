// The matrix-product kernel on several threads. Large products are cut into one slab of C per
// thread, each an OpenBLAS or Eigen call (split by rows or by columns, uneven slabs, transposed
// operands read in place, C overwritten or accumulated into).
// Every case is checked element by element against a plain triple loop, on 1, 2 and 3 threads,
// in float64 and float32, with Eigen's kernels and OpenBLAS's, also from inside a caller's own
// OpenMP team.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <dagrad/core/threads.hpp>
#include <dagrad/ops/detail/gemm.hpp>

#include "support/threads_reset.hpp"

using namespace dagrad;

namespace {

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

// One product computed by gemm on the current thread settings, and how many of its elements
// differ from C[i][j] = beta·C[i][j] + alpha·Σ_p op(A)[i][p]·op(B)[p][j] summed in long double,
// by more than rel·(1 + Σ_p |terms|). The first mismatch is described in `first`.
template <class T>
std::int64_t mismatches(const Case& c, T alpha, T beta, double rel, std::string* first) {
  const auto a = random_values<T>(static_cast<std::size_t>(c.m * c.k), 1);
  const auto b = random_values<T>(static_cast<std::size_t>(c.k * c.n), 2);
  const auto c0 = random_values<T>(static_cast<std::size_t>(c.m * c.n), 3);
  std::vector<T> out = c0;
  detail::gemm<T>(c.ta, c.tb, c.m, c.n, c.k, alpha, a.data(), b.data(), beta, out.data());

  auto op_a = [&](std::int64_t i, std::int64_t p) {
    return c.ta ? a[p * c.m + i] : a[i * c.k + p];
  };
  auto op_b = [&](std::int64_t p, std::int64_t j) {
    return c.tb ? b[j * c.k + p] : b[p * c.n + j];
  };
  std::int64_t bad = 0;
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
      const double got = static_cast<double>(out[at]);
      if (std::abs(got - static_cast<double>(want)) <= rel * static_cast<double>(1 + magnitude))
        continue;
      if (bad++ == 0 && first != nullptr)
        *first = c.name() + ": element (" + std::to_string(i) + ", " + std::to_string(j) + ") is " +
                 std::to_string(got) + ", want " + std::to_string(double(want));
    }
  return bad;
}

template <class T>
void check(const Case& c, T alpha, T beta, int threads, double rel) {
  set_num_threads(threads);
  std::string first;
  EXPECT_EQ(mismatches<T>(c, alpha, beta, rel, &first), 0)
      << threads << " threads, alpha " << alpha << ", beta " << beta << "; " << first;
}

// All above the 2^20 multiply-adds from which products are split: tall (split by rows), wide
// (by columns), sides that do not divide into whole 16-wide slabs, the shortest side that is
// split (32) and one just past it. Then the memory-bound shapes, split from kParallelMinElements
// elements of their big operand: rank-1 updates (k = 1, split by rows of C) and a row times a
// matrix (m = 1, split by B's stored rows: with partial rows summed when B is not transposed).
const std::vector<Case> kCases{
    {257, 40, 131, false, false}, {37, 301, 97, false, false}, {200, 33, 200, true, false},
    {45, 250, 120, false, true},  {130, 170, 64, true, true},  {32, 2048, 20, false, false},
    {32, 32, 1024, false, false}, {33, 32, 1000, true, true},  {784, 256, 1, true, false},
    {301, 130, 1, false, true},   {1, 256, 784, false, false}, {1, 784, 256, false, true},
    {1, 131, 301, true, false},   {1, 200, 250, true, true},
};

// Forces gemm's kernels for the life of a test, then gives the choice back to the machine.
class ForcedKernels {
 public:
  explicit ForcedKernels(detail::GemmKernels kernels)
      : previous_(detail::force_gemm_kernels(kernels)) {}
  ~ForcedKernels() { detail::force_gemm_kernels(previous_); }
  ForcedKernels(const ForcedKernels&) = delete;
  ForcedKernels& operator=(const ForcedKernels&) = delete;

 private:
  detail::GemmKernels previous_;
};

// Eigen's kernels, and OpenBLAS's when this build can run them: which one runs by default
// depends on the machine, so both are checked wherever the tests run.
std::vector<detail::GemmKernels> kernels_here() {
  std::vector<detail::GemmKernels> all{detail::GemmKernels::eigen};
  if (detail::gemm_has_openblas()) all.push_back(detail::GemmKernels::openblas);
  return all;
}

const char* kernels_name(detail::GemmKernels kernels) {
  return kernels == detail::GemmKernels::eigen ? "Eigen" : "OpenBLAS";
}

// Every case on 1-3 threads with each kernel: C overwritten (alpha 1, beta 0), and C accumulated
// into as by the fused update (C += alpha·op(A)·op(B)).
template <class T>
void match_the_triple_loop(T accumulate_alpha, double rel) {
  dagrad::testing::ThreadsReset reset;
  for (detail::GemmKernels kernels : kernels_here()) {
    const ForcedKernels forced(kernels);
    SCOPED_TRACE(kernels_name(kernels));
    for (const Case& c : kCases)
      for (int threads : {1, 2, 3}) {
        check<T>(c, T(1), T(0), threads, rel);
        check<T>(c, accumulate_alpha, T(1), threads, rel);
      }
  }
}

TEST(SplitProducts, MatchATripleLoopInFloat64) {
  match_the_triple_loop<double>(-0.5, 1e-13);
}

TEST(SplitProducts, MatchATripleLoopInFloat32) {
  match_the_triple_loop<float>(0.25f, 2e-5);
}

// With Eigen's kernels a product gives the same bits on any thread count: column slabs end on
// its widest micro-kernel's rows (48), row slabs on 16, so each element goes through the same
// kernel, summed in the same order; a row times an untransposed matrix (m = 1) sums fixed blocks
// of rows. The MLP's own shapes, then the cases above.
// (2×4608×120: with AVX2 Eigen would block its columns 21 wide, narrower than one micro-kernel.)
template <class T>
void same_bits_on_any_thread_count() {
  const ForcedKernels forced(detail::GemmKernels::eigen);
  std::vector<Case> cases{{32, 256, 784, false, false}, {32, 784, 256, false, true},
                          {784, 256, 32, true, false},  {128, 512, 784, false, false},
                          {128, 784, 512, false, true}, {784, 512, 128, true, false},
                          {2, 4608, 120, false, false}, {40, 100, 600, true, true}};
  cases.insert(cases.end(), kCases.begin(), kCases.end());
  for (const Case& c : cases) {
    const auto a = random_values<T>(static_cast<std::size_t>(c.m * c.k), 4);
    const auto b = random_values<T>(static_cast<std::size_t>(c.k * c.n), 5);
    const auto c0 = random_values<T>(static_cast<std::size_t>(c.m * c.n), 6);
    for (T beta : {T(0), T(1)}) {
      std::vector<T> one;
      for (int threads : {1, 2, 3}) {
        set_num_threads(threads);
        if (threads > 1) {
          EXPECT_EQ(detail::gemm_threads(c.m, c.n, c.k), threads) << c.name() << " is not split";
        }
        std::vector<T> out = c0;
        detail::gemm<T>(c.ta, c.tb, c.m, c.n, c.k, T(1), a.data(), b.data(), beta, out.data());
        if (threads == 1)
          one = out;
        else
          EXPECT_TRUE(out == one) << c.name() << " beta " << beta << " on " << threads
                                  << " threads";
      }
    }
  }
}

TEST(SplitProducts, EigenProductsGiveTheSameBitsOnAnyThreadCount) {
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  dagrad::testing::ThreadsReset reset;
  same_bits_on_any_thread_count<float>();
  same_bits_on_any_thread_count<double>();
}

// A caller's own OpenMP team: each of its threads is one of many already, so its products run
// on it alone, and are still right.
TEST(SplitProducts, InsideACallersOwnOpenMpTeam) {
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  dagrad::testing::ThreadsReset reset;
  set_num_threads(2);
  // 2^25 multiply-adds: threaded outside a team, whichever kernels the build has.
  ASSERT_EQ(detail::gemm_threads(512, 256, 256), 2);
  const std::size_t n = kCases.size();
  std::vector<int> threads_in_team(n, 0);
  std::vector<std::int64_t> bad(n, 0);
#pragma omp parallel for num_threads(2)
  for (std::size_t i = 0; i < n; ++i) {
    const Case& c = kCases[i];
    threads_in_team[i] = detail::gemm_threads(c.m, c.n, c.k);
    bad[i] = mismatches<double>(c, 1.0, 0.0, 1e-13, nullptr) +
             mismatches<double>(c, -0.5, 1.0, 1e-13, nullptr);
  }
  EXPECT_EQ(threads_in_team, std::vector<int>(n, 1));
  EXPECT_EQ(bad, std::vector<std::int64_t>(n, 0));
}

// In a fresh process started with OMP_NUM_THREADS=3, nothing having read the default thread count
// yet: exit code 0 when num_threads() still gives 3 after `first` ran, else 10 + what it gives.
template <class First>
[[noreturn]] void run_first_then_exit(First first) {
  first();
  std::exit(num_threads() == 3 ? 0 : 10 + num_threads());
}

void a_product() {
  const auto a = random_values<float>(64 * 256, 6), b = random_values<float>(256 * 128, 7);
  std::vector<float> c(64 * 128);
  detail::gemm<float>(false, false, 64, 128, 256, 1.0f, a.data(), b.data(), 0.0f, c.data());
}

// The first read of the default happens while a scope has set OpenMP's count to one.
void num_threads_inside_a_scope() {
  const KernelThreadsScope one(1);
  static_cast<void>(num_threads());
}

// Sets an environment variable for the life of the test, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_.empty())
      unsetenv(name_);
    else
      setenv(name_, old_.c_str(), 1);
  }

 private:
  const char* name_;
  std::string old_;
};

// The default thread count (every core, or OMP_NUM_THREADS) is read before anything changes
// OpenMP's setting for one call, so a program that never calls set_num_threads keeps it.
TEST(SplitProducts, TheFirstProductOrScopeLeavesTheDefaultThreadCount) {
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // a new process: nothing read the default yet
  const ScopedEnv omp_threads("OMP_NUM_THREADS", "3");
  EXPECT_EXIT(run_first_then_exit(a_product), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(run_first_then_exit(num_threads_inside_a_scope), ::testing::ExitedWithCode(0), "");
}

}  // namespace

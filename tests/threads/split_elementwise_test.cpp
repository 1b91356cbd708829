// Element-wise kernels, sums and optimizer updates on several threads: from
// kParallelMinElements elements on, [0, n) is cut into one chunk per thread (core/parallel.hpp).
// Each kernel's result on 2 and 3 threads must equal its result on one thread bit for bit (every
// element is computed by the same expression either way), and the one-thread result must match
// an independent scalar loop. Broadcast shapes are chosen so chunk edges fall inside the outer
// dimensions, where the chunk's starting offsets are worked out from its first row.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/parallel.hpp>
#include <dagrad/core/threads.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/ops.hpp>

#include "support/threads_reset.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

using namespace dagrad;

namespace {

// f's values with 1, 2 and 3 threads allowed; the last two must equal the first exactly.
std::vector<double> same_on_all_thread_counts(const std::function<Tensor()>& f,
                                              const std::string& what) {
  dagrad::testing::ThreadsReset reset;
  set_num_threads(1);
  const std::vector<double> one = f().to_vector();
  for (int threads : {2, 3}) {
    set_num_threads(threads);
    const std::vector<double> many = f().to_vector();
    EXPECT_EQ(many, one) << what << " on " << threads << " threads";
  }
  return one;
}

// Value i of a tensor from a formula, so references can be computed without dagrad.
Tensor from_formula(const Shape& shape, DType dtype, const std::function<double(std::int64_t)>& v) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  std::vector<double> values(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) values[static_cast<std::size_t>(i)] = v(i);
  return Tensor::from_values(shape, values, dtype);
}

double wave(std::int64_t i) {
  return std::sin(0.37 * static_cast<double>(i)) * 3.0;
}
double wave2(std::int64_t i) {
  return std::cos(0.11 * static_cast<double>(i)) + 1.5;
}

class SplitElementwise : public ::testing::TestWithParam<DType> {};

TEST_P(SplitElementwise, UnaryMapsMatchTheScalarLoop) {
  const DType dt = GetParam();
  const Tensor x = from_formula({300, 257}, dt, wave);  // 77,100 elements: 16-unit edges mid-row
  const auto r = same_on_all_thread_counts([&] { return relu(x); }, "relu");
  const auto e = same_on_all_thread_counts([&] { return tanh(x); }, "tanh");
  const double tol = dt == DType::f64 ? 1e-15 : 1e-6;
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    const double xr = dt == DType::f64 ? wave(i) : static_cast<float>(wave(i));
    ASSERT_EQ(r[static_cast<std::size_t>(i)], std::max(xr, 0.0)) << "relu at " << i;
    ASSERT_NEAR(e[static_cast<std::size_t>(i)], std::tanh(xr), tol) << "tanh at " << i;
  }
}

TEST_P(SplitElementwise, FlatBinaryMapsMatchTheScalarLoop) {
  const DType dt = GetParam();
  const Tensor a = from_formula({40000}, dt, wave), b = from_formula({40000}, dt, wave2);
  const Tensor s = full({1}, 0.5, dt);
  const auto sum_ab = same_on_all_thread_counts([&] { return add(a, b); }, "a + b");
  const auto a_over_s = same_on_all_thread_counts([&] { return div(a, s); }, "a / scalar");
  const auto s_minus_b = same_on_all_thread_counts([&] { return sub(s, b); }, "scalar - b");
  const std::vector<double> av = a.to_vector(), bv = b.to_vector();
  for (std::size_t i = 0; i < av.size(); ++i) {
    const double tol = dt == DType::f64 ? 0 : 1e-6 * (1 + std::abs(av[i]) + std::abs(bv[i]));
    ASSERT_NEAR(sum_ab[i], av[i] + bv[i], tol) << i;
    ASSERT_NEAR(a_over_s[i], av[i] / 0.5, tol) << i;
    ASSERT_NEAR(s_minus_b[i], 0.5 - bv[i], tol) << i;
  }
}

// out[i][j][k] = a[i][j or 0][k or 0] · b[...]: the chunk edges (multiples of 16 rows of the
// innermost dimension) land inside the outer counter.
struct BroadcastCase {
  Shape a, b;
  std::string name;
};

TEST_P(SplitElementwise, BroadcastBinaryMapsMatchTheScalarLoop) {
  const DType dt = GetParam();
  const std::vector<BroadcastCase> cases{
      {{1024, 40}, {1, 40}, "bias over a batch"},
      {{3, 50, 700}, {3, 1, 700}, "middle dimension broadcast"},
      {{1000, 1}, {1000, 40}, "column broadcast (constant rows)"},
      {{7, 1, 1}, {1, 97, 53}, "outer product of two broadcasts"},
  };
  for (const BroadcastCase& c : cases) {
    const Tensor a = from_formula(c.a, dt, wave), b = from_formula(c.b, dt, wave2);
    const auto got = same_on_all_thread_counts([&] { return mul(a, b); }, c.name);
    const Shape out = broadcast_shapes(c.a, c.b, "test");
    ASSERT_EQ(out.size(), 3u - (c.a.size() == 2 ? 1 : 0));
    const std::vector<double> av = a.to_vector(), bv = b.to_vector();
    // Index of the element an operand of shape s reads for output coordinates (row-major).
    auto source = [&](const Shape& s, const std::vector<std::int64_t>& at) {
      std::int64_t idx = 0;
      for (std::size_t d = 0; d < s.size(); ++d) idx = idx * s[d] + (s[d] == 1 ? 0 : at[d]);
      return static_cast<std::size_t>(idx);
    };
    std::vector<std::int64_t> at(out.size(), 0);
    for (std::size_t flat = 0; flat < got.size(); ++flat) {
      std::int64_t rest = static_cast<std::int64_t>(flat);
      for (std::size_t d = out.size(); d-- > 0;) {
        at[d] = rest % out[d];
        rest /= out[d];
      }
      const double want = av[source(c.a, at)] * bv[source(c.b, at)];
      const double tol = dt == DType::f64 ? 0 : 1e-6 * (1 + std::abs(want));
      ASSERT_NEAR(got[flat], want, tol) << c.name << " at flat index " << flat;
    }
  }
}

TEST_P(SplitElementwise, SumsOverAnyAxisMatchTheScalarLoop) {
  const DType dt = GetParam();
  const Tensor x = from_formula({6, 70, 150}, dt, wave);  // 63,000 elements
  const std::vector<double> xv = x.to_vector();
  for (std::int64_t axis : {0, 1, 2}) {
    const auto got = same_on_all_thread_counts([&] { return sum(x, {axis}); },
                                               "sum over axis " + std::to_string(axis));
    const Shape s{6, 70, 150};
    std::vector<double> want(got.size(), 0.0), magnitude(got.size(), 0.0);
    for (std::int64_t i = 0; i < 6; ++i)
      for (std::int64_t j = 0; j < 70; ++j)
        for (std::int64_t k = 0; k < 150; ++k) {
          std::int64_t o = axis == 0 ? j * 150 + k : axis == 1 ? i * 150 + k : i * 70 + j;
          const double v = xv[static_cast<std::size_t>((i * 70 + j) * 150 + k)];
          want[static_cast<std::size_t>(o)] += v;
          magnitude[static_cast<std::size_t>(o)] += std::abs(v);
        }
    const double rel = dt == DType::f64 ? 1e-14 : 1e-6;
    for (std::size_t o = 0; o < got.size(); ++o)
      ASSERT_NEAR(got[o], want[o], rel * (1 + magnitude[o])) << "axis " << axis << " at " << o;
  }
  // A bias gradient: a [batch, features] gradient summed over the batch by add's derivative.
  const Tensor bias = zeros({1, 300}, dt).set_requires_grad();
  const Tensor g = from_formula({400, 300}, dt, wave2);
  const auto grad_bias = same_on_all_thread_counts(
      [&] {
        return dagrad::grad(sum(mul(add(zeros({400, 300}, dt), bias), g)), bias);
      },
      "bias gradient");
  const std::vector<double> gv = g.to_vector();
  for (std::size_t j = 0; j < 300; ++j) {
    double want = 0;
    for (std::size_t i = 0; i < 400; ++i) want += gv[i * 300 + j];
    ASSERT_NEAR(grad_bias[j], want, (dt == DType::f64 ? 1e-12 : 1e-3)) << j;
  }
}

// A parameter updated in place: p after one optimizer step from a fixed gradient.
template <class MakeOptimizer>
Tensor one_update(DType dt, MakeOptimizer make) {
  Tensor p = from_formula({200, 250}, dt, wave).set_requires_grad();
  auto opt = make(p);
  for (int step = 0; step < 2; ++step) {
    opt.zero_grad();
    sum(mul(p, from_formula({200, 250}, dt, wave2))).backward();  // grad = wave2
    opt.step();
  }
  return p.detach();
}

TEST_P(SplitElementwise, OptimizerUpdatesMatchTheScalarLoop) {
  const DType dt = GetParam();
  const auto sgd = same_on_all_thread_counts(
      [&] { return one_update(dt, [](Tensor& p) { return nn::SGD({p}, {.lr = 0.1}); }); }, "SGD");
  const auto nesterov = same_on_all_thread_counts(
      [&] {
        return one_update(dt, [](Tensor& p) {
          return nn::SGD({p}, {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01, .nesterov = true});
        });
      },
      "SGD with Nesterov momentum and weight decay");
  const auto adam = same_on_all_thread_counts(
      [&] {
        return one_update(
            dt, [](Tensor& p) { return nn::Adam({p}, {.lr = 0.01, .weight_decay = 0.01}); });
      },
      "Adam with weight decay");
  const double tol = dt == DType::f64 ? 1e-12 : 1e-5;
  for (std::size_t i = 0; i < sgd.size(); ++i) {
    const double w0 = wave(static_cast<std::int64_t>(i)), g = wave2(static_cast<std::int64_t>(i));
    ASSERT_NEAR(sgd[i], w0 - 0.2 * g, tol * (1 + std::abs(w0))) << "SGD at " << i;
    // Nesterov, two steps: d = g + wd·w; buf = d (then 0.9·buf + d); w -= lr·(d + 0.9·buf).
    double w = w0, buf = 0;
    for (int step = 0; step < 2; ++step) {
      const double d = g + 0.01 * w;
      buf = step == 0 ? d : 0.9 * buf + d;
      w -= 0.1 * (d + 0.9 * buf);
    }
    ASSERT_NEAR(nesterov[i], w, tol * (1 + std::abs(w0))) << "Nesterov at " << i;
    // Adam, two steps.
    double wa = w0, m = 0, v = 0;
    for (int t = 1; t <= 2; ++t) {
      const double d = g + 0.01 * wa;
      m = 0.9 * m + 0.1 * d;
      v = 0.999 * v + 0.001 * d * d;
      const double mh = m / (1 - std::pow(0.9, t)), vh = v / (1 - std::pow(0.999, t));
      wa -= 0.01 * mh / (std::sqrt(vh) + 1e-8);
    }
    ASSERT_NEAR(adam[i], wa, tol * (1 + std::abs(w0))) << "Adam at " << i;
  }
}

TEST_P(SplitElementwise, FusedUpdatesAndAccumulatedGradientsMatchOneThread) {
  const DType dt = GetParam();
  // Fused SGD: the update is applied during backward (here through an element-wise mul, so
  // not by a product's accumulate path: apply_fused_update).
  same_on_all_thread_counts(
      [&] {
        Tensor p = from_formula({50000}, dt, wave).set_requires_grad();
        nn::SGD opt({p}, {.lr = 0.1});
        opt.fuse_into_backward();
        sum(mul(p, from_formula({50000}, dt, wave2))).backward();
        return p.detach();
      },
      "fused SGD");
  // A gradient reaching a leaf along two edges is summed in place.
  const auto twice = same_on_all_thread_counts(
      [&] {
        const Tensor p = from_formula({50000}, dt, wave).set_requires_grad();
        const Tensor w = from_formula({50000}, dt, wave2);
        Tensor y = add(mul(p, w), mul(p, w));
        y.backward(ones({50000}, dt));
        return p.grad();
      },
      "accumulated gradient");
  for (std::size_t i = 0; i < twice.size(); ++i) {
    const double w = wave2(static_cast<std::int64_t>(i));
    const double wr = dt == DType::f64 ? w : static_cast<float>(w);
    ASSERT_EQ(twice[i], 2 * wr) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Dtypes, SplitElementwise, ::testing::Values(DType::f64, DType::f32),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

TEST(ParallelChunks, CoverTheRangeInSixteenWideUnitsSharedEvenly) {
  struct Expect {
    std::int64_t n;
    int threads;
    std::vector<std::int64_t> edges;
  };
  const std::vector<Expect> cases{
      {40, 2, {0, 16, 40}},        // 3 units: 1 + 2, not 2 + 1
      {100, 3, {0, 32, 64, 100}},  // 7 units: 2 + 2 + 3
      {10, 4, {0, 10}},            // one unit: one chunk, on this thread
      {0, 2, {0, 0}},              // nothing: one empty call
      {64, 1, {0, 64}},
  };
  for (const Expect& e : cases) {
    std::mutex mutex;
    std::vector<std::pair<std::int64_t, std::int64_t>> chunks;
    for_each_chunk(e.n, e.threads, 16, [&](std::int64_t begin, std::int64_t end) {
      const std::lock_guard<std::mutex> lock(mutex);
      chunks.emplace_back(begin, end);
    });
    std::sort(chunks.begin(), chunks.end());
    std::vector<std::int64_t> edges{chunks.front().first};
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      if (i > 0) {
        EXPECT_EQ(chunks[i].first, chunks[i - 1].second) << "n=" << e.n;
      }
      edges.push_back(chunks[i].second);
    }
    EXPECT_EQ(edges, e.edges) << "n=" << e.n << " threads=" << e.threads;
  }
}

// Without this, every test above would pass with nothing ever split.
TEST(ParallelChunks, LargeWorkRunsOneChunkPerThreadOnDistinctThreads) {
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  dagrad::testing::ThreadsReset reset;
  for (int threads : {2, 3}) {
    set_num_threads(threads);
    int team_size = 0;  // what OpenMP gives here: OMP_DYNAMIC or OMP_THREAD_LIMIT may cut it
#pragma omp parallel num_threads(threads)
    {
#ifdef _OPENMP
#pragma omp single
      team_size = omp_get_num_threads();
#endif
    }
    if (team_size < threads) GTEST_SKIP() << "OpenMP gave a team of " << team_size;
    std::mutex mutex;
    std::vector<std::int64_t> begins;
    std::vector<int> thread_ids;
    parallel_elements(4 * kParallelMinElements, [&](std::int64_t begin, std::int64_t) {
      const std::lock_guard<std::mutex> lock(mutex);
      begins.push_back(begin);
#ifdef _OPENMP
      thread_ids.push_back(omp_get_thread_num());
#endif
    });
    EXPECT_EQ(begins.size(), static_cast<std::size_t>(threads)) << threads << " threads";
    std::sort(thread_ids.begin(), thread_ids.end());
    EXPECT_EQ(std::unique(thread_ids.begin(), thread_ids.end()), thread_ids.end())
        << "two chunks ran on one thread";
  }
}

TEST(ParallelChunks, SmallWorkAndWorkInsideACallersTeamStayOnTheCallingThread) {
  dagrad::testing::ThreadsReset reset;
  set_num_threads(2);
  int calls = 0;  // unsynchronised on purpose: one call, on this thread, is expected
  parallel_elements(kParallelMinElements - 1, [&](std::int64_t, std::int64_t) { ++calls; });
  EXPECT_EQ(calls, 1);
  if (!parallel_kernels_available()) GTEST_SKIP() << "built without OpenMP";
  int team_size = 0, inner_calls[2] = {0, 0};
#pragma omp parallel num_threads(2)
  {
#ifdef _OPENMP
    const int me = omp_get_thread_num();
    if (me == 0) team_size = omp_get_num_threads();
#else
    const int me = 0;
#endif
    parallel_elements(4 * kParallelMinElements,
                      [&](std::int64_t, std::int64_t) { ++inner_calls[me]; });
  }
  // OMP_DYNAMIC or OMP_THREAD_LIMIT may give a smaller team than asked for.
  if (team_size < 2) GTEST_SKIP() << "OpenMP gave a team of " << team_size;
  EXPECT_EQ(inner_calls[0], 1);
  EXPECT_EQ(inner_calls[1], 1);
}

}  // namespace

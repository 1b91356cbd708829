// Broadcasting, batched matmul and reductions over many random shapes (fixed seeds), against
// naive index-by-index loops written here: catches a stride or merge slip that the hand-picked
// shapes of the op tables miss.
#include <random>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"
#include "ops/support/op_table.hpp"

namespace dagrad::testing {
namespace {

// Multi-index of flat position i in shape s.
std::vector<std::int64_t> unravel(std::int64_t i, const Shape& s) {
  std::vector<std::int64_t> idx(s.size());
  for (std::size_t d = s.size(); d-- > 0;) {
    idx[d] = i % s[d];
    i /= s[d];
  }
  return idx;
}

// Flat position in `s` (right-aligned with out's index, extent-1 axes pinned to 0).
std::int64_t broadcast_flat(const std::vector<std::int64_t>& out_idx, const Shape& s) {
  std::int64_t flat = 0;
  const std::size_t lead = out_idx.size() - s.size();
  for (std::size_t d = 0; d < s.size(); ++d)
    flat = flat * s[d] + (s[d] == 1 ? 0 : out_idx[lead + d]);
  return flat;
}

struct ShapePair {
  Shape a, b, out;
};

ShapePair random_broadcast_pair(std::mt19937& gen) {
  std::uniform_int_distribution<int> rank(0, 4), extent(1, 3), coin(0, 2);
  ShapePair p;
  const int r = rank(gen);
  for (int d = 0; d < r; ++d) p.out.push_back(extent(gen));
  const int ra = std::uniform_int_distribution<int>(0, r)(gen);
  const int rb = std::uniform_int_distribution<int>(0, r)(gen);
  for (int d = r - ra; d < r; ++d) p.a.push_back(coin(gen) == 0 ? 1 : p.out[d]);
  for (int d = r - rb; d < r; ++d) p.b.push_back(coin(gen) == 0 ? 1 : p.out[d]);
  // The real output: an axis where both ended up 1 (or absent) is 1.
  Shape out(r, 1);
  for (int d = 0; d < r; ++d) {
    if (d >= r - ra) out[d] = std::max(out[d], p.a[d - (r - ra)]);
    if (d >= r - rb) out[d] = std::max(out[d], p.b[d - (r - rb)]);
  }
  p.out = Shape(out.end() - std::max(ra, rb), out.end());  // the rank of the larger operand
  return p;
}

template <class Op, class Naive>
void check_binary(const char* name, Op op, Naive naive, Domain b_domain) {
  std::mt19937 gen(2024);
  for (int trial = 0; trial < 200; ++trial) {
    const ShapePair p = random_broadcast_pair(gen);
    SCOPED_TRACE(std::string(name) + " " + to_string(p.a) + " with " + to_string(p.b));
    Tensor a = sample(p.a, any(), trial).set_requires_grad();
    Tensor b = sample(p.b, b_domain, trial + 1000).set_requires_grad();
    const Tensor out = op(a, b);
    ASSERT_EQ(out.shape(), p.out);
    const Tensor w = random_weights(p.out, trial);
    sum(out * w).backward();
    const std::vector<double> va = a.to_vector(), vb = b.to_vector(), vw = w.to_vector();
    std::vector<double> want(numel(p.out)), ga(va.size(), 0.0), gb(vb.size(), 0.0);
    for (std::int64_t i = 0; i < numel(p.out); ++i) {
      const auto idx = unravel(i, p.out);
      const std::int64_t ia = broadcast_flat(idx, p.a), ib = broadcast_flat(idx, p.b);
      double da, db;
      want[i] = naive(va[ia], vb[ib], da, db);
      ga[ia] += vw[i] * da;
      gb[ib] += vw[i] * db;
    }
    EXPECT_TRUE(tensor_near(out, p.out, want, 1e-15, 0));
    EXPECT_TRUE(tensor_near(a.grad(), p.a, ga, 1e-12, 1e-14)) << "gradient of a";
    EXPECT_TRUE(tensor_near(b.grad(), p.b, gb, 1e-12, 1e-14)) << "gradient of b";
  }
}

TEST(BroadcastFuzz, Add) {
  check_binary(
      "add", [](auto& a, auto& b) { return add(a, b); },
      [](double x, double y, double& dx, double& dy) {
        dx = 1, dy = 1;
        return x + y;
      },
      any());
}

TEST(BroadcastFuzz, Sub) {
  check_binary(
      "sub", [](auto& a, auto& b) { return sub(a, b); },
      [](double x, double y, double& dx, double& dy) {
        dx = 1, dy = -1;
        return x - y;
      },
      any());
}

TEST(BroadcastFuzz, Mul) {
  check_binary(
      "mul", [](auto& a, auto& b) { return mul(a, b); },
      [](double x, double y, double& dx, double& dy) {
        dx = y, dy = x;
        return x * y;
      },
      any());
}

TEST(BroadcastFuzz, Div) {
  check_binary(
      "div", [](auto& a, auto& b) { return div(a, b); },
      [](double x, double y, double& dx, double& dy) {
        dx = 1 / y, dy = -x / (y * y);
        return x / y;
      },
      away_from_zero());
}

TEST(BroadcastFuzz, BatchedMatmul) {
  std::mt19937 gen(7);
  std::uniform_int_distribution<int> small(1, 4), coin(0, 1), batch_rank(0, 2);
  for (int trial = 0; trial < 100; ++trial) {
    const std::int64_t m = small(gen), k = small(gen), n = small(gen);
    const bool ta = coin(gen), tb = coin(gen);
    // Batch axes: a and b each take a suffix of a common batch shape, some extents set to 1.
    Shape batch;
    for (int d = 0, r = batch_rank(gen); d < r; ++d) batch.push_back(small(gen) % 3 + 1);
    auto take = [&](void) {
      Shape s;
      const int r = std::uniform_int_distribution<int>(0, static_cast<int>(batch.size()))(gen);
      for (std::size_t d = batch.size() - r; d < batch.size(); ++d)
        s.push_back(coin(gen) ? batch[d] : 1);
      return s;
    };
    Shape sa = take(), sb = take();
    const Shape batch_a = sa, batch_b = sb;
    sa.push_back(ta ? k : m);
    sa.push_back(ta ? m : k);
    sb.push_back(tb ? n : k);
    sb.push_back(tb ? k : n);
    SCOPED_TRACE(to_string(sa) + (ta ? "ᵀ" : "") + " @ " + to_string(sb) + (tb ? "ᵀ" : ""));
    const Tensor a = sample(sa, any(), trial), b = sample(sb, any(), trial + 500);
    const Tensor out = matmul(a, b, ta, tb);
    Shape out_batch(std::max(batch_a.size(), batch_b.size()), 1);
    for (std::size_t d = 0; d < out_batch.size(); ++d) {
      const std::size_t la = out_batch.size() - batch_a.size(),
                        lb = out_batch.size() - batch_b.size();
      if (d >= la) out_batch[d] = std::max(out_batch[d], batch_a[d - la]);
      if (d >= lb) out_batch[d] = std::max(out_batch[d], batch_b[d - lb]);
    }
    Shape out_shape = out_batch;
    out_shape.push_back(m);
    out_shape.push_back(n);
    ASSERT_EQ(out.shape(), out_shape);
    const std::vector<double> va = a.to_vector(), vb = b.to_vector();
    std::vector<double> want;
    for (std::int64_t bi = 0; bi < numel(out_batch); ++bi) {
      const auto idx = unravel(bi, out_batch);
      const std::int64_t oa = broadcast_flat(idx, batch_a) * m * k;
      const std::int64_t ob = broadcast_flat(idx, batch_b) * k * n;
      for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
          double acc = 0;
          for (std::int64_t l = 0; l < k; ++l)
            acc += va[oa + (ta ? l * m + i : i * k + l)] * vb[ob + (tb ? j * k + l : l * n + j)];
          want.push_back(acc);
        }
    }
    EXPECT_TRUE(tensor_near(out, out_shape, want, 1e-13, 1e-14));
  }
}

TEST(BroadcastFuzz, SumOverAxisSubsets) {
  std::mt19937 gen(99);
  std::uniform_int_distribution<int> rank(1, 4), extent(1, 4), coin(0, 1);
  for (int trial = 0; trial < 150; ++trial) {
    Shape s;
    for (int d = 0, r = rank(gen); d < r; ++d) s.push_back(extent(gen));
    std::vector<std::int64_t> axes;
    for (std::size_t d = 0; d < s.size(); ++d)
      if (coin(gen))
        axes.push_back(coin(gen)
                           ? static_cast<std::int64_t>(d)
                           : static_cast<std::int64_t>(d) - static_cast<std::int64_t>(s.size()));
    const bool keepdim = coin(gen);
    SCOPED_TRACE(to_string(s) + " axes " + ::testing::PrintToString(axes) +
                 (keepdim ? " keepdim" : ""));
    const Tensor x = sample(s, any(), trial);
    const Tensor out = sum(x, axes, keepdim);
    std::vector<bool> reduced(s.size(), axes.empty());
    for (auto ax : axes) reduced[ax < 0 ? ax + s.size() : ax] = true;
    Shape kept(s.size());
    Shape out_shape;
    for (std::size_t d = 0; d < s.size(); ++d) {
      kept[d] = reduced[d] ? 1 : s[d];
      if (!reduced[d] || keepdim) out_shape.push_back(kept[d]);
    }
    ASSERT_EQ(out.shape(), out_shape);
    std::vector<double> want(numel(kept), 0.0);
    const std::vector<double> v = x.to_vector();
    for (std::int64_t i = 0; i < x.numel(); ++i) want[broadcast_flat(unravel(i, s), kept)] += v[i];
    EXPECT_TRUE(tensor_near(out, out_shape, want, 1e-13, 1e-14));
  }
}

}  // namespace
}  // namespace dagrad::testing

// A data-parallel gradient: threads take independent sub-batches, share the model's parameters
// read-only and record graphs of their own; the weighted sum of their gradients must equal the
// full batch's. The library has no threaded kernel of its own, so this is the parallel kernel
// the tests run, alone and inside two concurrent trainers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/nn/sgd.hpp>
#include <dagrad/ops/ops.hpp>

#include "support/synthetic.hpp"

using namespace dagrad;
using namespace dagrad::testing;

namespace {

constexpr std::int64_t kFeatures = 8, kHidden = 16, kClasses = 4;

// d(mean loss over the batch)/d(params), computed over `parts` sub-batches, on threads or one
// after the other. cross_entropy averages, so each part's loss is weighted by its share of
// rows. The parts' gradients are summed in a fixed order, so threads do not change the result.
std::vector<Tensor> batch_gradient(nn::Module& net, const Tensor& x, const Tensor& y, int parts,
                                   bool threaded) {
  const std::vector<Tensor> params = net.parameters();
  const std::int64_t n = x.size(0);
  std::vector<std::vector<Tensor>> part_grads(static_cast<std::size_t>(parts));
  auto work = [&](int k) {
    const std::int64_t begin = n * k / parts, end = n * (k + 1) / parts;
    const Tensor loss =
        cross_entropy(net(rows(x, begin, end)), rows(y, begin, end)) * (double(end - begin) / n);
    // Functional gradients: nothing is accumulated into the shared parameters.
    part_grads[static_cast<std::size_t>(k)] = grad(std::span<const Tensor>(&loss, 1), params);
  };
  if (threaded) {
    std::vector<std::thread> pool;
    for (int k = 0; k < parts; ++k) pool.emplace_back(work, k);
    for (std::thread& t : pool) t.join();
  } else {
    for (int k = 0; k < parts; ++k) work(k);
  }
  NoGradGuard no_grad;
  std::vector<Tensor> total = part_grads[0];
  for (int k = 1; k < parts; ++k)
    for (std::size_t i = 0; i < total.size(); ++i)
      total[i] = total[i] + part_grads[static_cast<std::size_t>(k)][i];
  return total;
}

void expect_close(const std::vector<Tensor>& got, const std::vector<Tensor>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::vector<double> g = got[i].to_vector(), w = want[i].to_vector();
    ASSERT_EQ(g.size(), w.size());
    for (std::size_t j = 0; j < g.size(); ++j)
      EXPECT_NEAR(g[j], w[j], 1e-12 * std::max(1.0, std::abs(w[j])))
          << "param " << i << "[" << j << "]";
  }
}

}  // namespace

TEST(ParallelBatches, SubBatchGradientsEqualTheFullBatch) {
  const Classification data = make_classification(11, 64, kFeatures, kClasses, DType::f64);
  auto net = make_mlp(11, kFeatures, kHidden, kClasses, DType::f64);
  const std::vector<Tensor> full = batch_gradient(*net, data.x, data.y, 1, false);
  for (int round = 0; round < 20; ++round)
    expect_close(batch_gradient(*net, data.x, data.y, 4, true), full);
  // Nothing was accumulated into the shared leaves.
  for (const Tensor& p : net->parameters()) EXPECT_FALSE(p.grad().defined());
}

// The other way to share parameters: each thread wraps the same storage in leaves of its own
// (detach) and accumulates into their grad() with backward().
TEST(ParallelBatches, DetachedLeavesPerThread) {
  const Classification data = make_classification(12, 48, kFeatures, kClasses, DType::f64);
  auto net = make_mlp(12, kFeatures, kHidden, kClasses, DType::f64);
  const std::vector<Tensor> full = batch_gradient(*net, data.x, data.y, 1, false);
  const std::vector<Tensor> shared = net->parameters();  // w1, b1, w2, b2
  constexpr int kParts = 3;
  std::vector<std::vector<Tensor>> grads(kParts);
  std::vector<std::thread> pool;
  for (int k = 0; k < kParts; ++k)
    pool.emplace_back([&, k] {
      std::vector<Tensor> p;
      for (const Tensor& s : shared) p.push_back(s.detach().set_requires_grad());
      const Tensor x = rows(data.x, 16 * k, 16 * (k + 1));
      const Tensor h = relu(matmul(x, p[0]) + p[1]);
      const Tensor loss = cross_entropy(matmul(h, p[2]) + p[3], rows(data.y, 16 * k, 16 * (k + 1)));
      (loss * (1.0 / kParts)).backward();
      for (const Tensor& t : p) grads[static_cast<std::size_t>(k)].push_back(t.grad());
    });
  for (std::thread& t : pool) t.join();
  std::vector<Tensor> total = grads[0];
  for (int k = 1; k < kParts; ++k)
    for (std::size_t i = 0; i < total.size(); ++i) total[i] = total[i] + grads[k][i];
  expect_close(total, full);
}

// Two trainers run at once, and each computes every step's gradient on two threads of its own.
// The result must be bit for bit that of the same procedure without any threads.
TEST(ParallelBatches, ParallelKernelInsideConcurrentTrainers) {
  auto train = [](std::uint64_t seed, bool threaded) {
    const Classification data = make_classification(seed, 128, kFeatures, kClasses, DType::f64);
    auto net = make_mlp(seed, kFeatures, kHidden, kClasses, DType::f64);
    nn::SGD opt(net->parameters(), {.lr = 0.1, .momentum = 0.9});
    for (int step = 0; step < 40; ++step) {
      const std::int64_t b = step % 4;
      const std::vector<Tensor> g = batch_gradient(*net, rows(data.x, 32 * b, 32 * (b + 1)),
                                                   rows(data.y, 32 * b, 32 * (b + 1)), 2, threaded);
      const std::vector<Tensor> params = net->parameters();
      for (std::size_t i = 0; i < params.size(); ++i) Tensor(params[i]).set_grad(g[i]);
      opt.step();
    }
    return flat_values(*net);
  };
  const std::vector<double> ref_a = train(21, false), ref_b = train(22, false);
  std::vector<double> a, b;
  std::thread ta([&] { a = train(21, true); });
  std::thread tb([&] { b = train(22, true); });
  ta.join();
  tb.join();
  EXPECT_EQ(a, ref_a);
  EXPECT_EQ(b, ref_b);
}

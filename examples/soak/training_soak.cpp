// Note [Soak]
// Every step builds a fresh graph (forward, cross-entropy), back-propagates and updates; when the
// step's tensors go out of scope its graph must be gone, and nothing global may keep growing.
// Two checks: a weak pointer to each step's loss node must have expired by the next step, and
// resident memory after warm-up (allocator pools, Eigen's and the registry's one-off buffers
// filled) must stay flat to within max_growth at the end of the run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/node.hpp>
#include <dagrad/core/tensor.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/sequential.hpp>
#include <dagrad/ops/ops.hpp>

#include "memory.hpp"
#include "soak.hpp"

namespace soak {

namespace {

using namespace dagrad;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kIn = 32, kHidden = 64, kOut = 10, kBatch = 32, kSamples = 4096;

// Rows [begin, begin + n) of a row-major tensor, copied into a new leaf (a batch).
Tensor rows(const Tensor& t, std::int64_t begin, std::int64_t n) {
  Shape shape = t.shape();
  const std::int64_t width = t.numel() / shape[0];
  shape[0] = n;
  Tensor out = Tensor::empty(shape, t.dtype());
  dispatch_any(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::memcpy(out.data<T>(), t.data<T>() + begin * width,
                static_cast<std::size_t>(n * width) * sizeof(T));
  });
  return out;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

bool soak_training(const TrainingOptions& o) {
  Tensor x, y;
  {
    NoGradGuard no_grad;
    x = randn({kSamples, kIn}, 1);
    // Labels from a random linear teacher plus noise, so the loss stays away from zero.
    y = argmax(matmul(x, randn({kIn, kOut}, 2)) + randn({kSamples, kOut}, 5), 1);
  }
  nn::Sequential net;
  net.emplace<nn::Linear>(kIn, kHidden, 3,
                          nn::LinearOptions{.init = nn::Init::he_uniform, .name = "fc1"});
  net.emplace<nn::ReLU>("act");
  net.emplace<nn::Linear>(kHidden, kOut, 4, nn::LinearOptions{.name = "fc2"});
  nn::Adam opt(net.parameters(), {.lr = 1e-3});

  // The first reading of /proc allocates the stream's buffers: take it before the loop, so the
  // probe's own one-off cost does not count as growth.
  const std::uint64_t rss_start = resident_bytes();
  std::printf("training soak: %s, batch %lld, Adam, %lld steps (warm-up %lld), RSS %.2f MiB\n",
              net.describe().c_str(), static_cast<long long>(kBatch),
              static_cast<long long>(o.steps), static_cast<long long>(o.warmup), mib(rss_start));
  std::weak_ptr<Node> previous_graph;
  std::int64_t graphs_kept = 0;
  std::uint64_t rss_warm = 0, rss_max = 0;
  double loss_value = 0;
  // Printed after the loop: the first printf of a double allocates stdio and locale buffers,
  // which would show up as growth after warm-up.
  struct Progress {
    std::int64_t step;
    double loss;
    std::uint64_t rss;
  };
  std::vector<Progress> progress;
  progress.reserve(16);
  const auto start = Clock::now();
  auto warm_time = start;
  const std::int64_t report_every = std::max<std::int64_t>(1, o.steps / 10);
  for (std::int64_t step = 1; step <= o.steps; ++step) {
    const std::int64_t b = (step * kBatch) % kSamples;
    const Tensor xb = rows(x, b, kBatch), yb = rows(y, b, kBatch);
    opt.zero_grad();
    const Tensor loss = cross_entropy(net(xb), yb);
    loss.backward();
    opt.step();
    graphs_kept += !previous_graph.expired();
    previous_graph = loss.grad_fn();
    loss_value = loss.item();

    if (step == o.warmup) {
      rss_warm = resident_bytes();
      warm_time = Clock::now();
    }
    if (step > o.warmup && step % 1000 == 0) rss_max = std::max(rss_max, resident_bytes());
    if (step % report_every == 0) progress.push_back({step, loss_value, resident_bytes()});
  }
  const double total_s = seconds_since(start);
  const std::uint64_t rss_end = resident_bytes();
  rss_max = std::max(rss_max, rss_end);
  for (const Progress& p : progress)
    std::printf("  step %7lld  loss %.4f  RSS %.2f MiB\n", static_cast<long long>(p.step), p.loss,
                mib(p.rss));

  double accuracy = 0;
  {
    NoGradGuard no_grad;
    const Tensor pred = argmax(net(x), 1);
    for (std::int64_t i = 0; i < kSamples; ++i)
      accuracy += pred.data<std::int64_t>()[i] == y.data<std::int64_t>()[i];
    accuracy /= kSamples;
  }

  const double growth = rss_warm ? (double(rss_end) - double(rss_warm)) / double(rss_warm) : 0;
  const double max_growth = rss_warm ? (double(rss_max) - double(rss_warm)) / double(rss_warm) : 0;
  const double steady_s = seconds_since(warm_time);
  std::printf("  steps            %lld\n", static_cast<long long>(o.steps));
  std::printf("  RSS at warm-up   %.2f MiB (step %lld)\n", mib(rss_warm),
              static_cast<long long>(o.warmup));
  std::printf("  RSS at the end   %.2f MiB (highest after warm-up %.2f MiB)\n", mib(rss_end),
              mib(rss_max));
  std::printf("  growth           %+.3f %% at the end, %+.3f %% at most\n", 100 * growth,
              100 * max_growth);
  std::printf("  speed            %.0f steps/s overall, %.0f steps/s after warm-up\n",
              o.steps / total_s, (o.steps - o.warmup) / steady_s);
  std::printf("  final loss %.4f, training accuracy %.1f %%\n", loss_value, 100 * accuracy);
  std::printf("  graphs still alive one step later: %lld\n", static_cast<long long>(graphs_kept));

  bool ok = graphs_kept == 0;
  if (!ok)
    std::fprintf(stderr, "soak: %lld step graphs outlived their step\n",
                 static_cast<long long>(graphs_kept));
  if (o.gate && growth >= o.max_growth) {
    std::fprintf(stderr, "soak: resident memory grew by %.3f %% after warm-up (limit %.3f %%)\n",
                 100 * growth, 100 * o.max_growth);
    ok = false;
  }
  return ok;
}

}  // namespace soak

#include "cases.hpp"

#include <Eigen/Core>

#include <memory>

#include <dagrad/dagrad.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/sequential.hpp>
#include <dagrad/nn/sgd.hpp>

namespace bench {

using namespace dagrad;

namespace {

std::shared_ptr<nn::Sequential> make_mlp(const std::vector<std::int64_t>& sizes) {
  Generator gen(0);
  auto model = std::make_shared<nn::Sequential>();
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    const bool last = i + 2 == sizes.size();
    nn::LinearOptions opt;
    opt.init = last ? nn::Init::xavier_uniform : nn::Init::he_uniform;
    model->emplace<nn::Linear>(sizes[i], sizes[i + 1], gen, opt);
    if (!last) model->emplace<nn::ReLU>();
  }
  return model;
}

// Labels cycle through the classes: any valid labels cost the same.
Tensor labels(std::int64_t batch, std::int64_t classes) {
  std::vector<std::int64_t> y(static_cast<std::size_t>(batch));
  for (std::int64_t i = 0; i < batch; ++i) y[static_cast<std::size_t>(i)] = i % classes;
  return Tensor::from_values({batch}, y);
}

}  // namespace

std::string model_name(const std::vector<std::int64_t>& sizes) {
  std::string s;
  for (std::int64_t n : sizes) {
    if (!s.empty()) s += '-';
    s += std::to_string(n);
  }
  return s;
}

int set_threads(int threads) {
  dagrad::set_num_threads(threads);
  return dagrad::num_threads();
}

Row mlp_step(const std::vector<std::int64_t>& sizes, std::int64_t batch, int threads,
             const TimingOptions& timing, bool fused) {
  const int used = set_threads(threads);
  auto model = make_mlp(sizes);
  nn::SgdOptions sgd_options;
  sgd_options.lr = 0.01;  // small: random data must not drive the weights to inf
  nn::SGD sgd(model->parameters(), sgd_options);
  sgd.fuse_into_backward(fused);
  const Tensor x = randn({batch, sizes.front()}, 1);
  const Tensor y = labels(batch, sizes.back());

  const double s = median_seconds_per_iteration(
      [&] {
        Tensor loss = cross_entropy((*model)(x), y);
        loss.backward();
        sgd.step();
        sgd.zero_grad();
      },
      timing);
  return Row()
      .add("bench", "mlp_step")
      .add("model", model_name(sizes))
      .add("batch", batch)
      .add("sgd", std::string(fused ? "fused" : "step"))
      .add("threads", std::int64_t{threads})
      .add("eigen_threads", std::int64_t{used})
      .add("step_us_median", s * 1e6);
}

Row op_overhead(std::int64_t ops, const TimingOptions& timing) {
  set_threads(1);
  Tensor x = scalar(1.0).set_requires_grad();
  const Tensor c = scalar(1e-3);
  const double s = median_seconds_per_iteration(
      [&] {
        Tensor y = x;
        for (std::int64_t i = 0; i < ops; ++i) y = y + c;
        y.backward();
        x.zero_grad();
      },
      timing);
  return Row()
      .add("bench", "op_overhead")
      .add("ops", ops)
      .add("us_per_op", s * 1e6 / static_cast<double>(ops));
}

Row gemm(std::int64_t m, std::int64_t n, std::int64_t k, int threads, const TimingOptions& timing) {
  const int used = set_threads(threads);
  const Tensor a = randn({m, k}, 2);
  const Tensor b = randn({k, n}, 3);
  NoGradGuard no_grad;
  const double s = median_seconds_per_iteration([&] { Tensor c = matmul(a, b); }, timing);
  return Row()
      .add("bench", "gemm")
      .add("m", m)
      .add("n", n)
      .add("k", k)
      .add("threads", std::int64_t{threads})
      .add("eigen_threads", std::int64_t{used})
      .add("us_median", s * 1e6)
      .add("gflops", 2.0 * static_cast<double>(m * n * k) / s * 1e-9);
}

}  // namespace bench

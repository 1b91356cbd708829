#include "synthetic.hpp"

#include <cstring>

#include <dagrad/core/grad_mode.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/ops/ops.hpp>

namespace dagrad::testing {

Classification make_classification(std::uint64_t seed, std::int64_t n, std::int64_t features,
                                   std::int64_t classes, DType dtype) {
  NoGradGuard no_grad;
  Classification c;
  c.x = randn({n, features}, seed, dtype);
  const Tensor teacher = randn({features, classes}, seed + 1000, dtype);
  c.y = argmax(matmul(c.x, teacher), 1);
  return c;
}

Tensor rows(const Tensor& t, std::int64_t begin, std::int64_t end) {
  Shape shape = t.shape();
  const std::int64_t row = t.numel() / shape[0];
  shape[0] = end - begin;
  Tensor out = Tensor::empty(shape, t.dtype());
  dispatch_any(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    std::memcpy(out.data<T>(), t.data<T>() + begin * row,
                static_cast<std::size_t>((end - begin) * row) * sizeof(T));
  });
  return out;
}

std::shared_ptr<nn::Sequential> make_mlp(std::uint64_t seed, std::int64_t features,
                                         std::int64_t hidden, std::int64_t classes, DType dtype) {
  auto net = std::make_shared<nn::Sequential>();
  net->emplace<nn::Linear>(
      features, hidden, seed,
      nn::LinearOptions{.init = nn::Init::he_uniform, .dtype = dtype, .name = "fc1"});
  net->emplace<nn::ReLU>("act");
  net->emplace<nn::Linear>(hidden, classes, seed + 1,
                           nn::LinearOptions{.dtype = dtype, .name = "fc2"});
  return net;
}

std::vector<double> flat_values(const nn::Module& model) {
  std::vector<double> out;
  for (const nn::NamedTensor& p : model.named_parameters()) {
    const std::vector<double> v = p.tensor.to_vector();
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

}  // namespace dagrad::testing

#include "model.hpp"

#include <dagrad/core/random.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/linear.hpp>

namespace fashion_mnist {

std::shared_ptr<dagrad::nn::Sequential> make_mlp(const MlpSpec& spec, std::uint64_t seed) {
  using namespace dagrad::nn;
  dagrad::Generator gen(seed);
  auto model = std::make_shared<Sequential>();
  std::int64_t in = spec.inputs;
  std::vector<std::int64_t> sizes = spec.hidden;
  sizes.push_back(spec.classes);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const bool last = i + 1 == sizes.size();
    // The output layer feeds the softmax of the loss: Xavier suits it whatever the hidden
    // activation is.
    LinearOptions opt;
    opt.name = "fc" + n;
    opt.init = last ? Init::xavier_uniform : init_for_activation(spec.activation);
    model->emplace<Linear>(in, sizes[i], gen, opt);
    if (!last) model->add(make_activation(spec.activation, "act" + n));
    in = sizes[i];
  }
  return model;
}

std::string describe_sizes(const MlpSpec& spec) {
  std::string s = std::to_string(spec.inputs);
  for (std::int64_t h : spec.hidden) s.append("-").append(std::to_string(h));
  return s.append("-").append(std::to_string(spec.classes));
}

}  // namespace fashion_mnist

// The example's model: an MLP 784 → hidden... → 10, a Linear layer per size with an activation
// between layers, logits out (cross_entropy applies the softmax).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <dagrad/nn/sequential.hpp>

namespace fashion_mnist {

struct MlpSpec {
  std::int64_t inputs = 784;
  std::vector<std::int64_t> hidden{256};
  std::int64_t classes = 10;
  std::string activation = "relu";  // relu | sigmoid | tanh
};

// Layers named fc1, act1, fc2, ...; weights He-initialised before ReLU, Xavier otherwise,
// drawn from `seed`. ValueError for an unknown activation or a size below 1.
std::shared_ptr<dagrad::nn::Sequential> make_mlp(const MlpSpec& spec, std::uint64_t seed);

// "784-256-10"
std::string describe_sizes(const MlpSpec& spec);

}  // namespace fashion_mnist

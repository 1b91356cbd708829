// The example's model: an MLP 784 → hidden... → 10, a Linear layer per size with an activation
// between layers, logits out (cross_entropy applies the softmax).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <dagrad/nn/batches.hpp>
#include <dagrad/nn/sequential.hpp>
#include <dagrad/nn/serialize.hpp>

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

// "256,128": the --hidden syntax.
std::string hidden_flag(const std::vector<std::int64_t>& hidden);

// Everything --evaluate needs besides the parameters to reproduce the accuracy a run measured:
// the architecture and the input scaling (the training set's statistics).
struct SavedModel {
  MlpSpec spec;
  dagrad::nn::PixelScaling scaling;
};

// The weights file's metadata for a trained model:
//   "program"          "fashion_mnist"
//   "model.inputs"     "784"
//   "model.hidden"     "256,128" (the --hidden syntax)
//   "model.classes"    "10"
//   "model.activation" "relu" | "sigmoid" | "tanh"
//   "input.mean"       pixel mean of x = byte/255 over the training set ("%.9g": exact float)
//   "input.stddev"     its standard deviation
dagrad::nn::WeightsMetadata model_metadata(const SavedModel& model);

// The model described by metadata, or nullopt when it holds no "program" = "fashion_mnist"
// (a version 1 file, or weights saved by another program). IoError naming `path` and the key
// when an entry is missing or malformed.
std::optional<SavedModel> saved_model(const dagrad::nn::WeightsMetadata& metadata,
                                      const std::string& path);

}  // namespace fashion_mnist

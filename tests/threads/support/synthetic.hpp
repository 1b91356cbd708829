// Small deterministic data and models for the concurrency tests: every thread builds its own
// from a seed, so a run on two threads can be compared with the same runs one after the other.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <dagrad/core/tensor.hpp>
#include <dagrad/nn/sequential.hpp>

namespace dagrad::testing {

struct Classification {
  Tensor x;  // [n, features], standard normal
  Tensor y;  // int64 [n], labels in [0, classes) from a random linear teacher
};

Classification make_classification(std::uint64_t seed, std::int64_t n, std::int64_t features,
                                   std::int64_t classes, DType dtype = DType::f32);

// Rows [begin, end) of a tensor whose first axis is the batch, as a new leaf.
Tensor rows(const Tensor& t, std::int64_t begin, std::int64_t end);

// features -> hidden -> classes with a ReLU between, named "fc1"/"act"/"fc2".
std::shared_ptr<nn::Sequential> make_mlp(std::uint64_t seed, std::int64_t features,
                                         std::int64_t hidden, std::int64_t classes,
                                         DType dtype = DType::f32);

// Every parameter's values, in named_parameters() order, flattened.
std::vector<double> flat_values(const nn::Module& model);

}  // namespace dagrad::testing

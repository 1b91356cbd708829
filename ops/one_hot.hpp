#pragma once
#include <cstdint>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad {

// One-hot rows: labels (int64, any shape) -> labels.shape + [num_classes], 1 at each label, in
// `dtype`. ValueError naming the label when one is outside [0, num_classes). Not differentiable.
Tensor one_hot(const Tensor& labels, std::int64_t num_classes, DType dtype = DType::f32);

}  // namespace dagrad

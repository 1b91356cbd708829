// Checks for integer class labels, shared by one_hot, cross_entropy and nll_loss.
#pragma once

#include <cstdint>

#include <dagrad/core/tensor.hpp>

namespace dagrad::detail {

// labels must be int64 (DTypeError) with every value in [0, num_classes) (ValueError naming
// the first bad label and its position).
void check_labels(const Tensor& labels, std::int64_t num_classes, const char* op);

// scores [B, C] floating and labels [B] int64 in range; ShapeError/DTypeError/ValueError
// naming op and the shapes at fault.
void check_scores_and_labels(const Tensor& scores, const Tensor& labels, const char* op);

}  // namespace dagrad::detail

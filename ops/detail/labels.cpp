#include <dagrad/ops/detail/labels.hpp>

#include <dagrad/core/error.hpp>

namespace dagrad::detail {

void check_labels(const Tensor& labels, std::int64_t num_classes, const char* op) {
  if (labels.dtype() != DType::i64)
    throw DTypeError(std::string(op) + ": labels must be int64 class indices, got " +
                     dtype_name(labels.dtype()));
  const std::int64_t* p = labels.data<std::int64_t>();
  for (std::int64_t i = 0, n = labels.numel(); i < n; ++i)
    if (p[i] < 0 || p[i] >= num_classes)
      throw ValueError(std::string(op) + ": label " + std::to_string(p[i]) + " at position " +
                       std::to_string(i) + " is out of range for " + std::to_string(num_classes) +
                       " classes");
}

void check_scores_and_labels(const Tensor& scores, const Tensor& labels, const char* op) {
  if (!is_floating(scores.dtype()))
    throw DTypeError(std::string(op) + ": scores must be floating, got " +
                     dtype_name(scores.dtype()));
  if (scores.dim() != 2 || labels.dim() != 1 || scores.shape()[0] != labels.shape()[0])
    throw ShapeError(std::string(op) + ": expects scores [B,C] and labels [B], got " +
                     to_string(scores.shape()) + " and " + to_string(labels.shape()));
  check_labels(labels, scores.shape()[1], op);
}

}  // namespace dagrad::detail

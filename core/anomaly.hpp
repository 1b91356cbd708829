// Anomaly mode: inside an AnomalyGuard, the first op whose forward output or backward gradient
// holds a NaN or an infinity raises an AnomalyError naming the op, its input shapes and its
// named scope, and marks its node so that to_dot() paints it red. Off by default: it reads
// every value once more.
#pragma once

#include <string>

#include <dagrad/core/error.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad {

bool anomaly_enabled();
void set_anomaly_enabled(bool on);

class AnomalyGuard {
 public:
  AnomalyGuard() : previous_(anomaly_enabled()) { set_anomaly_enabled(true); }
  ~AnomalyGuard() { set_anomaly_enabled(previous_); }
  AnomalyGuard(const AnomalyGuard&) = delete;
  AnomalyGuard& operator=(const AnomalyGuard&) = delete;

 private:
  bool previous_;
};

// Carries the tensor whose graph holds the faulty node, so it can be drawn (to_dot paints
// nodes with Node::anomalous red).
class AnomalyError : public ValueError {
 public:
  AnomalyError(const std::string& what, Tensor where)
      : ValueError(what), where_(std::move(where)) {}
  const Tensor& tensor() const { return where_; }

 private:
  Tensor where_;
};

// True when a floating tensor holds a NaN or an infinity.
bool has_non_finite(const Tensor& t);

}  // namespace dagrad

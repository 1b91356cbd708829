// Anomaly mode: inside an AnomalyGuard, the first op whose forward output or backward gradient
// holds a NaN or an infinity raises an AnomalyError naming the op, its input shapes and where it
// was created, and marks its node so that to_dot() paints it red. Off by default: it reads
// every value once more.
//
// "Where it was created" is the node's creation number and the named scope (ScopeGuard,
// grad_mode.hpp) that was open when the op ran; there is no file:line (no
// std::source_location), so name the scopes you want to find again. The messages read
//   "<op>: forward produced a NaN or an infinity (inputs [2,3] float64, [3] float64;
//    node #17 in scope 'encoder/fc1')"
//   "<op>: backward produced a NaN or an infinity in the gradient of input 0 (inputs [2]
//    float64; node #17 in scope 'encoder/fc1')"
// A forward that records no node (no input requires grad, or grad mode is off) has no number:
// its message names the scope only, and to_dot of the error's tensor has nothing to paint.
// The error carries, for a forward fault, the faulty output; for a backward fault, the root
// backward started from, whose graph holds the red node.
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

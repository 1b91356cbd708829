// The op registry: name -> OpDef. Built-in ops are registered by an explicit table
// (ops/builtin_ops.cpp, generated from the files in ops/), never by static initialisers, which a
// static library would silently drop. Users register their own ops through the same call.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <dagrad/core/gradcheck.hpp>
#include <dagrad/core/op.hpp>

namespace dagrad {

class OpRegistry {
 public:
  // Registers op and returns the stored definition (stable address, valid for the program's
  // life). GraphError if the name is taken or the definition lacks infer/forward.
  const OpDef& add(OpDef op);
  // nullptr when unknown.
  const OpDef* find(const std::string& name) const;
  // Throws GraphError "unknown op 'name'".
  const OpDef& get(const std::string& name) const;
  // All registered ops, sorted by name.
  std::vector<const OpDef*> all() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<OpDef>> ops_;
};

// The process-wide registry, with every built-in op already in it.
OpRegistry& registry();

// How register_op checks a new op's derivative before accepting it: gradcheck (float64) at
// `points` seeded random points drawn uniformly from [low, high) (positive by default, so log
// and sqrt-like ops are inside their domain), with inputs of the given shapes.
struct RegisterCheck {
  std::vector<Shape> input_shapes;  // empty: every input [2,3]
  Attrs attrs;
  int points = 3;
  double low = 0.5, high = 1.5;
  std::uint64_t seed = 0;
  GradcheckOptions tolerances;
};

// Registers op after gradchecking it; GraphError carrying the gradcheck report (input, index,
// analytic and numeric values) when its derivative is wrong, and the op is not registered.
const OpDef& register_op_checked(OpDef op, const RegisterCheck& check = {});

// Registers a user-defined op. In a debug build of the caller (NDEBUG not defined) its
// derivative is gradchecked first, as register_op_checked does with default settings.
// The two versions live in differently named inline namespaces, so a program that mixes debug
// and release translation units links each to its own (one inline function with two bodies
// would break the one-definition rule, and the linker would keep either).
#ifndef NDEBUG
inline namespace register_checked {
inline const OpDef& register_op(OpDef op) {
  return register_op_checked(std::move(op));
}
}  // namespace register_checked
#else
inline namespace register_unchecked {
inline const OpDef& register_op(OpDef op) {
  return registry().add(std::move(op));
}
}  // namespace register_unchecked
#endif

// Provided by ops/: registers the built-in ops. Called once by registry().
void register_builtin_ops(OpRegistry& reg);

}  // namespace dagrad

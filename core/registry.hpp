// The op registry: name -> OpDef. Built-in ops are registered by an explicit table
// (ops/builtin_ops.cpp, generated from the files in ops/), never by static initialisers, which a
// static library would silently drop. Users register their own ops through the same call.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

// Registers a user-defined op (same as registry().add(op)).
const OpDef& register_op(OpDef op);

// Provided by ops/: registers the built-in ops. Called once by registry().
void register_builtin_ops(OpRegistry& reg);

}  // namespace dagrad

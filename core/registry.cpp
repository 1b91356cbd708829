#include <dagrad/core/registry.hpp>

#include <algorithm>

#include <dagrad/core/error.hpp>

namespace dagrad {

const OpDef& OpRegistry::add(OpDef op) {
  if (op.name.empty()) throw GraphError("register_op: an op needs a name");
  if (!op.infer || !op.forward)
    throw GraphError("register_op: op '" + op.name + "' needs a shape rule and a forward kernel");
  std::lock_guard lock(mutex_);
  for (const auto& existing : ops_)
    if (existing->name == op.name)
      throw GraphError("register_op: an op named '" + op.name + "' is already registered");
  ops_.push_back(std::make_unique<OpDef>(std::move(op)));
  return *ops_.back();
}

const OpDef* OpRegistry::find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& op : ops_)
    if (op->name == name) return op.get();
  return nullptr;
}

const OpDef& OpRegistry::get(const std::string& name) const {
  if (const OpDef* op = find(name)) return *op;
  throw GraphError("unknown op '" + name + "'");
}

std::vector<const OpDef*> OpRegistry::all() const {
  std::lock_guard lock(mutex_);
  std::vector<const OpDef*> out;
  for (const auto& op : ops_) out.push_back(op.get());
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

OpRegistry& registry() {
  static OpRegistry* reg = [] {
    auto* r = new OpRegistry();  // never destroyed: ops may be used during static destruction
    register_builtin_ops(*r);
    return r;
  }();
  return *reg;
}

const OpDef& register_op(OpDef op) { return registry().add(std::move(op)); }

std::string op_label(const OpDef& op, const Attrs& attrs) {
  if (op.label) return op.label(attrs);
  return attrs.empty() ? op.name : op.name + "(" + attrs.to_string() + ")";
}

}  // namespace dagrad

#include <dagrad/core/registry.hpp>

#include <algorithm>

#include <dagrad/core/error.hpp>
#include <dagrad/core/random.hpp>

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

const OpDef& register_op_checked(OpDef op, const RegisterCheck& check) {
  if (!op.vjp) return registry().add(std::move(op));  // nothing to check
  const int n_inputs = std::max(op.min_inputs, 1);
  std::vector<Shape> shapes = check.input_shapes;
  if (shapes.empty()) shapes.assign(static_cast<std::size_t>(n_inputs), Shape{2, 3});
  Generator gen(check.seed);
  for (int point = 0; point < check.points; ++point) {
    std::vector<Tensor> inputs;
    for (const Shape& s : shapes)
      inputs.push_back(uniform(s, check.low, check.high, gen, DType::f64));
    const GradcheckResult r = gradcheck_op(op, inputs, check.attrs, check.tolerances);
    if (!r.ok)
      throw GraphError("register_op: the derivative of '" + op.name +
                       "' disagrees with finite differences: " + r.report);
  }
  return registry().add(std::move(op));
}

std::string op_label(const OpDef& op, const Attrs& attrs) {
  if (op.label) return op.label(attrs);
  return attrs.empty() ? op.name : op.name + "(" + attrs.to_string() + ")";
}

}  // namespace dagrad

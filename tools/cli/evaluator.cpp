#include "evaluator.hpp"

#include <cmath>
#include <cstdio>
#include <utility>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/registry.hpp>

#include "diagnostics.hpp"

namespace dagrad::cli {

namespace {

// Where an op takes int64 labels (see the header): the op and the argument's position.
struct LabelSlot {
  const char* op;
  std::size_t arg;
};
constexpr LabelSlot kLabelSlots[] = {{"cross_entropy", 1}, {"nll_loss", 1}, {"one_hot", 0}};

bool is_label_slot(const std::string& op, std::size_t arg) {
  for (const LabelSlot& s : kLabelSlots)
    if (op == s.op && arg == s.arg) return true;
  return false;
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string keyword_list(const OpDef& op) {
  std::string s;
  for (const std::string& k : op.keywords) s += (s.empty() ? "" : ", ") + k;
  return s;
}

}  // namespace

Evaluator::Evaluator(std::vector<NamedInput> inputs, DType dtype,
                     const std::vector<std::string>& requires_grad)
    : dtype_(dtype) {
  for (NamedInput& in : inputs) {
    Leaf leaf;
    leaf.name = in.name;
    leaf.floating = Tensor::from_values(in.value.shape, in.value.values, dtype);
    leaf.floating.set_name(in.name);
    leaf.value = std::move(in.value);
    names_.push_back(in.name);
    leaves_.insert_or_assign(in.name, std::move(leaf));
  }
  for (const std::string& name : requires_grad)
    if (auto it = leaves_.find(name); it != leaves_.end()) it->second.floating.set_requires_grad();
  for (auto& [name, leaf] : leaves_) leaf_of_[leaf.floating.impl()] = &leaf;
}

const Tensor* Evaluator::input(const std::string& name) const {
  const auto it = leaves_.find(name);
  return it == leaves_.end() ? nullptr : &it->second.floating;
}

bool Evaluator::used_as_labels(const std::string& name) const {
  const auto it = leaves_.find(name);
  return it != leaves_.end() && it->second.labels.defined();
}

const Tensor* Evaluator::binding(const std::string& name) const {
  const auto it = bindings_.find(name);
  return it == bindings_.end() ? nullptr : &it->second;
}

Tensor Evaluator::run(const Program& program) {
  scope_.assign(program.symbols.size(), Tensor());
  for (std::size_t i = 0; i < program.symbols.size(); ++i)
    if (const Tensor* t = input(program.symbols[i])) scope_[i] = *t;

  Tensor output;
  std::vector<Tensor> values;
  std::vector<bool> bound(program.symbols.size(), false);
  for (const Statement& s : program.statements) {
    // Intermediate values live only for their statement; what outlives it is the bound tensor
    // (and, through its graph, whatever it was computed from).
    values.clear();
    values.resize(s.root - s.first + 1);
    for (NodeId id = s.first; id <= s.root; ++id) {
      Tensor& v = values[id - s.first];
      v = evaluate(program, program.nodes[id], values, s.first);
      if (retain_grads_ && v.grad_fn()) v.retain_grad();
    }
    if (s.has_target) {
      scope_[s.target] = std::move(values.back());
      bound[s.target] = true;
    } else {
      output = std::move(values.back());
    }
  }
  for (std::size_t i = 0; i < bound.size(); ++i)
    if (bound[i]) bindings_.insert_or_assign(program.symbols[i], scope_[i]);
  scope_.clear();
  return output;
}

Tensor Evaluator::evaluate(const Program& program, const Node& node,
                           const std::vector<Tensor>& values, NodeId first) {
  try {
    switch (node.kind) {
      case NodeKind::number:
        return scalar(node.number, dtype_);
      case NodeKind::name: {
        const Tensor& t = scope_[node.symbol];
        if (!t.defined())
          throw ProgramError("unknown name '" + program.symbols[node.symbol] +
                                 "': not an input and not bound by an earlier statement",
                             node.where);
        return t;
      }
      case NodeKind::negate:
        return apply("neg", {values[node.lhs - first]});
      case NodeKind::binary:
        return apply(op_name(node.op), {values[node.lhs - first], values[node.rhs - first]});
      case NodeKind::call:
        return call(program, node, values, first);
    }
  } catch (const ProgramError&) {
    throw;
  } catch (const Error& e) {
    throw ProgramError(e.what(), node.where);
  }
  throw ProgramError("unknown expression", node.where);
}

Tensor Evaluator::call(const Program& program, const Node& node, const std::vector<Tensor>& values,
                       NodeId first) {
  const Call& c = program.calls[node.call];
  const std::string& name = program.symbols[c.function];
  const OpDef& op = registry().get(name);  // the engine's "unknown op" message when absent

  Attrs attrs;
  for (const Keyword& kw : c.keywords) {
    bool known = false;
    for (const std::string& k : op.keywords) known = known || k == kw.name;
    if (!known)
      throw ProgramError(
          op.keywords.empty()
              ? name + ": takes no keyword arguments, got '" + kw.name + "'"
              : name + ": unknown keyword '" + kw.name + "' (it takes " + keyword_list(op) + ")",
          kw.where);
    attrs.set(kw.name, kw.value);
  }

  std::vector<Tensor> args;
  args.reserve(c.args.size());
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    const Tensor& t = values[c.args[i] - first];
    const bool by_name = program.nodes[c.args[i]].kind == NodeKind::name;
    args.push_back(by_name && is_label_slot(name, i) ? as_labels(t) : t);
  }
  return apply(op, std::move(args), std::move(attrs));
}

Tensor Evaluator::as_labels(const Tensor& t) {
  const auto it = leaf_of_.find(t.impl());
  if (it == leaf_of_.end()) return t;  // not an input: the op checks its dtype
  Leaf& leaf = *it->second;
  if (!leaf.labels.defined()) {
    std::vector<std::int64_t> labels;
    labels.reserve(leaf.value.values.size());
    for (std::size_t i = 0; i < leaf.value.values.size(); ++i) {
      const double v = leaf.value.values[i];
      // 2^63 is exactly representable; anything from there up does not fit an int64.
      if (!(std::nearbyint(v) == v && std::abs(v) < 9223372036854775808.0))
        throw ValueError("input '" + leaf.name + "': labels must be integers, got " +
                         format_number(v) + " at flat position " + std::to_string(i));
      labels.push_back(static_cast<std::int64_t>(v));
    }
    leaf.labels = Tensor::from_values(leaf.value.shape, labels);
    leaf.labels.set_name(leaf.name);
  }
  return leaf.labels;
}

}  // namespace dagrad::cli

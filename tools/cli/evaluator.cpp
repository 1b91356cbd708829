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

// The language's own function: grad(EXPR, NAME), not an op of the registry.
constexpr const char* kGradFunction = "grad";

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

Evaluator::Evaluator(const std::vector<std::string>& names, std::span<const Tensor> tensors,
                     DType dtype)
    : dtype_(dtype), names_(names) {
  if (names.size() != tensors.size())
    throw ValueError("evaluator: " + std::to_string(names.size()) + " input names for " +
                     std::to_string(tensors.size()) + " tensors");
  for (std::size_t i = 0; i < names.size(); ++i) {
    Leaf leaf;
    leaf.name = names[i];
    const Tensor& t = tensors[i];
    leaf.value.shape = t.shape();
    leaf.value.values = t.to_vector();
    if (is_floating(t.dtype())) {
      leaf.floating = t;
    } else {
      leaf.labels = t;
      leaf.floating = t.to(dtype);
    }
    leaves_.insert_or_assign(names[i], std::move(leaf));
  }
  for (auto& [name, leaf] : leaves_) leaf_of_[leaf.floating.impl()] = &leaf;
}

const Tensor* Evaluator::labels(const std::string& name) const {
  const auto it = leaves_.find(name);
  return it == leaves_.end() || !it->second.labels.defined() ? nullptr : &it->second.labels;
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

void Evaluator::record_grad_targets(const Program& program) {
  // grad(EXPR, h) needs EXPR's graph to reach h. So when the program differentiates at all,
  // every floating input records the graph (then every bound name computed from one does too),
  // and a name bound to a constant is made a leaf that requires grad when it is bound.
  grad_target_.assign(program.symbols.size(), false);
  bool any = false;
  for (const Call& c : program.calls) {
    if (program.symbols[c.function] != kGradFunction) continue;
    any = true;
    if (c.args.size() == 2 && program.nodes[c.args[1]].kind == NodeKind::name)
      grad_target_[program.nodes[c.args[1]].symbol] = true;
  }
  if (!any) return;
  for (auto& [name, leaf] : leaves_)
    if (is_floating(leaf.floating.dtype())) leaf.floating.set_requires_grad();
}

Tensor Evaluator::run(const Program& program) {
  record_grad_targets(program);
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
      Tensor& v = values.back();
      if (grad_target_[s.target] && !v.requires_grad() && is_floating(v.dtype()))
        v.set_requires_grad();  // a constant: no grad_fn, so it is a leaf
      scope_[s.target] = std::move(v);
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
  if (name == kGradFunction) return grad_call(program, node, values, first);
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

Tensor Evaluator::grad_call(const Program& program, const Node& node,
                            const std::vector<Tensor>& values, NodeId first) {
  const Call& c = program.calls[node.call];
  if (!c.keywords.empty())
    throw ProgramError("grad: takes no keyword arguments, got '" + c.keywords[0].name + "'",
                       c.keywords[0].where);
  if (c.args.size() != 2)
    throw ProgramError(
        "grad: takes 2 arguments, grad(EXPR, NAME), got " + std::to_string(c.args.size()),
        node.where);
  const Node& wrt = program.nodes[c.args[1]];
  if (wrt.kind != NodeKind::name)
    throw ProgramError("grad: the second argument must be a name (an input or a bound name)",
                       wrt.where);
  const Tensor& f = values[c.args[0] - first];
  const Tensor& x = values[c.args[1] - first];
  if (f.numel() != 1)
    throw ProgramError(
        "grad: the expression must be a scalar (sum it first), got shape " + to_string(f.shape()),
        node.where);
  if (!is_floating(f.dtype()) || !is_floating(x.dtype()))
    throw ProgramError("grad: needs floating tensors, got " + std::string(dtype_name(f.dtype())) +
                           " and " + dtype_name(x.dtype()),
                       node.where);
  // Not connected: the expression does not depend on the name, so its gradient is zero.
  if (!f.requires_grad() || !x.requires_grad()) return zeros(x.shape(), x.dtype());
  // create_graph: the gradient is itself recorded, so it can be differentiated again (by an
  // enclosing grad, by --grad, or drawn by dot); retain_graph: f's graph stays usable for that.
  GradOptions options;
  options.retain_graph = true;
  options.create_graph = true;
  options.allow_unused = true;
  Tensor g = dagrad::grad(f, x, options);
  return g.defined() ? g : zeros(x.shape(), x.dtype());
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

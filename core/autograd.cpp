#include <dagrad/core/autograd.hpp>

#include <atomic>

#include <Eigen/Core>

#include <dagrad/core/anomaly.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/node.hpp>
#include <dagrad/core/object_pool.hpp>
#include <dagrad/core/parallel.hpp>
#include <dagrad/core/recorded_graph.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/graph/dag.hpp>

namespace dagrad {

namespace {

std::atomic<std::uint64_t> g_node_sequence{0};

std::string meta_string(const Tensor& t) {
  return to_string(t.shape()) + " " + dtype_name(t.dtype());
}

thread_local bool t_anomaly = false;

std::string input_shapes(std::span<const Tensor> inputs) {
  std::string s;
  for (std::size_t i = 0; i < inputs.size(); ++i) s += (i ? ", " : "") + meta_string(inputs[i]);
  return s;
}

std::string where(const Node& n) {
  return "node #" + std::to_string(n.sequence) +
         (n.scope.empty() ? std::string() : " in scope '" + n.scope + "'");
}

}  // namespace

bool anomaly_enabled() {
  return t_anomaly;
}
void set_anomaly_enabled(bool on) {
  t_anomaly = on;
}

bool has_non_finite(const Tensor& t) {
  if (!is_floating(t.dtype())) return false;
  return dispatch_floating(t.dtype(), "anomaly", [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
    return !Eigen::Map<const Vec>(t.data<T>(), t.numel()).allFinite();
  });
}

Tensor apply(const OpDef& op, std::vector<Tensor> inputs, Attrs attrs) {
  const int n = static_cast<int>(inputs.size());
  if (n < op.min_inputs || (op.max_inputs >= 0 && n > op.max_inputs)) {
    std::string expected = std::to_string(op.min_inputs);
    if (op.max_inputs != op.min_inputs)
      expected += op.max_inputs < 0 ? " or more" : " to " + std::to_string(op.max_inputs);
    throw GraphError(op.name + ": expected " + expected + " input(s), got " + std::to_string(n));
  }
  bool any_requires_grad = false;
  for (int i = 0; i < n; ++i) {
    if (!inputs[i].defined())
      throw GraphError(op.name + ": input " + std::to_string(i) + " is an undefined tensor");
    any_requires_grad = any_requires_grad || inputs[i].requires_grad();
  }

  const TensorMeta meta = op.infer(inputs, attrs);
  Tensor out;
  try {
    NoGradGuard no_grad;  // a forward kernel built from other ops must not record them
    out = op.forward(inputs, attrs);
  } catch (const MemoryError& e) {  // the kernel's allocation does not know which op it serves
    throw MemoryError(op.name + ": " + e.what() + " (inputs " + input_shapes(inputs) + ")");
  }
  if (!out.defined() || out.shape() != meta.shape || out.dtype() != meta.dtype)
    throw GraphError(op.name + ": forward returned " +
                     (out.defined() ? meta_string(out) : std::string("nothing")) +
                     " but the shape rule promised " + to_string(meta.shape) + " " +
                     dtype_name(meta.dtype));

  const bool anomalous = t_anomaly && has_non_finite(out);
  const bool record = any_requires_grad && grad_enabled() && op.vjp;
  if (anomalous && !record)  // no node to number, but the scope still says where
    throw AnomalyError(
        op.name + ": forward produced a NaN or an infinity (inputs " + input_shapes(inputs) +
            (current_scope().empty() ? std::string() : "; in scope '" + current_scope() + "'") +
            ")",
        out);
  if (!record) return out;

  // A forward that returned a view (or an input itself) shares the impl; the recorded output
  // must be a tensor of its own, so give it a fresh impl over the same storage.
  bool shares_impl = out.impl_ptr().use_count() > 1;
  if (shares_impl) {
    auto fresh = make_pooled<TensorImpl>();
    fresh->shape = out.shape();
    fresh->dtype = out.dtype();
    fresh->storage = out.impl()->storage;
    out = Tensor(std::move(fresh));
  }
  auto node = make_pooled<Node>();
  node->op = &op;
  node->inputs = std::move(inputs);
  node->attrs = std::move(attrs);
  node->output = out.impl_ptr();
  node->output_meta = meta;
  node->scope = current_scope();
  node->sequence = g_node_sequence.fetch_add(1, std::memory_order_relaxed);
  node->anomalous = anomalous;
  out.impl()->grad_fn = node;
  out.impl()->requires_grad = true;
  if (anomalous)
    throw AnomalyError(op.name + ": forward produced a NaN or an infinity (inputs " +
                           input_shapes(node->inputs) + "; " + where(*node) + ")",
                       out);
  return out;
}

Tensor apply(const std::string& op_name, std::vector<Tensor> inputs, Attrs attrs) {
  return apply(registry().get(op_name), std::move(inputs), std::move(attrs));
}

namespace {

bool exclusively_owned(const Tensor& t) {
  return t.impl_ptr().use_count() == 1 && t.impl()->storage.use_count() == 1 && !t.grad_fn();
}

// Note [Gradient accumulation]
// A gradient reaching a tensor along several edges is summed. The first one is stored as is
// (no copy); later ones are added in place only into a buffer nobody else can see, otherwise
// out of place, so a gradient shared by two inputs (add's derivative passes grad_output to
// both) or held by the user is never modified behind their back. With create_graph the sum is
// itself recorded.
void accumulate(Tensor& slot, const Tensor& g, bool create_graph) {
  if (!slot.defined()) {
    slot = g;
    return;
  }
  if (create_graph || !exclusively_owned(slot)) {
    slot = apply("add", {slot, g});
    return;
  }
  dispatch_floating(slot.dtype(), "backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
    T* ps = slot.data<T>();
    const T* pg = g.data<T>();
    parallel_elements(slot.numel(), [&](std::int64_t begin, std::int64_t end) {
      Eigen::Map<Vec>(ps + begin, end - begin) += Eigen::Map<const Vec>(pg + begin, end - begin);
    });
  });
}

// Stores into a tensor's grad(). The first gradient is kept as is only when nobody else can see
// it; otherwise it is copied, so a leaf's grad() never shares a buffer with another leaf's, with
// the caller's gradient or with a view (as PyTorch's AccumulateGrad). With create_graph the
// recorded gradient itself is kept, so it can be differentiated.
void accumulate_into_grad(TensorImpl& impl, const Tensor& g, bool create_graph) {
  Tensor slot = impl.grad ? Tensor(impl.grad) : Tensor();
  impl.grad.reset();  // so exclusively_owned sees only `slot`
  if (!slot.defined() && !create_graph && !exclusively_owned(g)) {
    impl.grad = g.clone().impl_ptr();
    return;
  }
  accumulate(slot, g, create_graph);
  impl.grad = slot.impl_ptr();
}

Tensor default_root_grad(const Tensor& root, const Tensor& given, const char* who) {
  if (given.defined()) {
    if (given.shape() != root.shape() || given.dtype() != root.dtype())
      throw ShapeError(std::string(who) + ": the gradient given for the output is " +
                       meta_string(given) + " but the output is " + meta_string(root));
    return given;
  }
  if (root.numel() != 1)
    throw GraphError(std::string(who) +
                     ": a gradient can be created implicitly only for a scalar output; the "
                     "output has shape " +
                     to_string(root.shape()) + ", so pass a gradient of that shape");
  return ones(root.shape(), root.dtype());
}

// Targets of a functional grad(): gradients reaching these impls are captured, not stored.
struct Capture {
  std::vector<const TensorImpl*> targets;
  std::vector<Tensor> grads;
  int index_of(const TensorImpl* impl) const {
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (targets[i] == impl) return static_cast<int>(i);
    return -1;
  }
};

// Runs t's hooks on g in registration order; a hook returning a tensor replaces g.
Tensor run_hooks(const TensorImpl& t, Tensor g, const char* who) {
  for (const auto& [id, hook] : t.hooks) {
    Tensor replaced = hook(g);
    if (!replaced.defined()) continue;
    if (replaced.shape() != g.shape() || replaced.dtype() != g.dtype())
      throw GraphError(std::string(who) + ": a hook returned " + meta_string(replaced) +
                       " for a gradient of " + meta_string(g));
    g = std::move(replaced);
  }
  return g;
}

// p ← decay · p + scale · g, in place (Note [Fused updates]).
void apply_fused_update(const Tensor& leaf, const Tensor& g) {
  const FusedUpdate u = *leaf.impl()->fused_update;
  Tensor p = leaf;
  dispatch_floating(p.dtype(), "backward", [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Vec = Eigen::Array<T, Eigen::Dynamic, 1>;
    T* pw = p.data<T>();
    const T* pg = g.data<T>();
    parallel_elements(p.numel(), [&](std::int64_t begin, std::int64_t end) {
      Eigen::Map<Vec> w(pw + begin, end - begin);
      const Eigen::Map<const Vec> grad(pg + begin, end - begin);
      if (u.decay == 1)
        w += static_cast<T>(u.scale) * grad;
      else
        w = static_cast<T>(u.decay) * w + static_cast<T>(u.scale) * grad;
    });
  });
}

// The leaves whose derivative an op may add straight into them (Note [Fused updates]): a fused
// update without weight decay, no hooks, storage no other tensor views, and exactly one edge of
// the graph reading them, so no later derivative can read the updated values.
class DirectlyUpdated {
 public:
  // leaf_inputs: each edge's leaf, as RecordedGraph::leaf_inputs lists them.
  explicit DirectlyUpdated(std::span<const TensorImpl* const> leaf_inputs) {
    for (const TensorImpl* impl : leaf_inputs) {
      if (!impl->fused_update) continue;
      const std::size_t i = uses_.find_or_insert(impl, counts_.size());
      if (i == PointerMap::kAbsent)
        counts_.push_back(1);
      else
        ++counts_[i];
    }
  }
  bool contains(const TensorImpl& impl) const {
    if (counts_.empty() || !impl.fused_update || impl.fused_update->decay != 1 ||
        !impl.hooks.empty() || impl.storage.use_count() != 1)
      return false;
    const std::size_t i = uses_.find(&impl);
    return i != PointerMap::kAbsent && counts_[i] == 1;
  }

 private:
  PointerMap uses_;
  std::vector<int> counts_;
};

void run_backward(std::span<const Tensor> roots, std::span<const Tensor> root_grads,
                  bool retain_graph, bool create_graph, Capture* capture, const char* who) {
  EnableGradGuard mode(create_graph);
  // The same graph to_dot draws (core/recorded_graph.hpp), without the leaves' vertices.
  RecordedGraph c = record_graph(roots, /*with_leaves=*/false);
  if (c.released)
    throw GraphError(std::string(who) + ": the graph through '" + c.released->op->name +
                     "' was already released by an earlier backward(); pass "
                     "retain_graph=true to the earlier call to back-propagate twice");

  // Gradients of tensors with no node to pass them on (leaves), summed over the whole pass and
  // delivered at its end, so hooks see the total, as PyTorch's AccumulateGrad does.
  std::vector<std::pair<Tensor, Tensor>> leaf_grads;
  PointerMap leaf_index;
  auto to_leaf = [&](const Tensor& t, const Tensor& g) {
    std::size_t i = leaf_index.find_or_insert(t.impl(), leaf_grads.size());
    if (i == PointerMap::kAbsent) {
      i = leaf_grads.size();
      leaf_grads.emplace_back(t, Tensor());
    }
    accumulate(leaf_grads[i].second, g, create_graph);
  };

  std::vector<Tensor> grads(c.num_vertices());
  for (std::size_t i = 0; i < roots.size(); ++i) {
    const Tensor& root = roots[i];
    if (!root.requires_grad())
      throw GraphError(std::string(who) +
                       ": the output does not require grad (no input of it requires grad, or "
                       "it was computed under no_grad)");
    Tensor g = default_root_grad(root, i < root_grads.size() ? root_grads[i] : Tensor(), who);
    // A caller's gradient may be a parameter itself (or share its buffer): a fused update must
    // not change it while other derivatives still read it.
    if (!capture && !create_graph && i < root_grads.size()) g = g.clone();
    if (root.grad_fn())
      accumulate(grads[c.vertex_of(root.grad_fn().get())], g, create_graph);
    else
      to_leaf(root, g);
  }

  const std::vector<graph::Vertex> order =
      graph::reverse_topological_order(graph::make_topology(c.num_vertices(), c.edges));
  // Fused updates apply to a plain backward(); grad() and create_graph get ordinary gradients.
  const bool fusing = !capture && !create_graph;
  const DirectlyUpdated direct_leaves(fusing ? std::span<const TensorImpl* const>(c.leaf_inputs)
                                             : std::span<const TensorImpl* const>());
  // Each vertex's in-edges are consecutive in c.edges and in slot order, so an input's vertex is
  // read there rather than looked up by its node.
  std::vector<std::size_t> first_edge(c.num_vertices() + 1, 0);
  for (const graph::Edge& e : c.edges) ++first_edge[e.target + 1];
  for (std::size_t v = 0; v < c.num_vertices(); ++v) first_edge[v + 1] += first_edge[v];
  std::unique_ptr<bool[]> needs_grad, direct;
  std::size_t needs_grad_size = 0;
  for (graph::Vertex v : order) {
    Node* node = c.nodes[v];
    Tensor g = std::move(grads[v]);
    if (!g.defined()) continue;
    std::shared_ptr<TensorImpl> out_impl = node->output.lock();
    if (!out_impl)
      throw GraphError(std::string(who) + ": the output of '" + node->op->name +
                       "' no longer exists");
    const Tensor output(out_impl);
    if (!out_impl->hooks.empty()) g = run_hooks(*out_impl, std::move(g), who);
    if (capture) {
      if (int i = capture->index_of(out_impl.get()); i >= 0)
        accumulate(capture->grads[i], g, create_graph);
    } else if (out_impl->retains_grad) {
      accumulate_into_grad(*out_impl, g, create_graph);
    }

    const std::size_t n_in = node->inputs.size();
    if (n_in > needs_grad_size) {
      needs_grad.reset(new bool[n_in]);
      direct.reset(new bool[n_in]);
      needs_grad_size = n_in;
    }
    bool any_needed = false, any_direct = false;
    for (std::size_t i = 0; i < n_in; ++i) {
      const TensorImpl& input = *node->inputs[i].impl();
      needs_grad[i] = input.requires_grad;
      // Added straight into the leaf after the other inputs' derivatives, which may read it; so
      // one such input per node, or one's update would feed the other's derivative.
      direct[i] = !any_direct && needs_grad[i] && node->op->accumulate_vjp && !t_anomaly &&
                  direct_leaves.contains(input);
      if (direct[i]) needs_grad[i] = false;
      any_needed = any_needed || needs_grad[i];
      any_direct = any_direct || direct[i];
    }
    const VjpArgs args{node->inputs, output, g, node->attrs,
                       std::span<const bool>(needs_grad.get(), n_in)};
    std::vector<Tensor> input_grads(any_needed ? 0 : n_in);
    if (any_needed) {
      // The ops a derivative runs are checked as one: by its results, below, so that the
      // error names this op rather than a helper (a div inside sqrt's derivative).
      const bool anomaly = t_anomaly;
      t_anomaly = false;
      struct Restore {
        bool on;
        ~Restore() { t_anomaly = on; }
      } restore{anomaly};
      input_grads = node->op->vjp(args);
    }
    if (input_grads.size() != n_in)
      throw GraphError(node->op->name + ": derivative returned " +
                       std::to_string(input_grads.size()) + " gradients for " +
                       std::to_string(n_in) + " inputs");

    std::size_t next_edge = first_edge[v];
    for (std::size_t i = 0; i < n_in; ++i) {
      const Tensor& input = node->inputs[i];
      const Tensor& gi = input_grads[i];
      const std::size_t edge = input.grad_fn() ? next_edge++ : 0;
      if (!needs_grad[i] || !gi.defined()) continue;
      if (gi.shape() != input.shape() || gi.dtype() != input.dtype())
        throw GraphError(node->op->name + ": derivative returned " + meta_string(gi) +
                         " for input " + std::to_string(i) + " of " + meta_string(input));
      if (t_anomaly && has_non_finite(gi)) {
        node->anomalous = true;
        throw AnomalyError(node->op->name +
                               ": backward produced a NaN or an infinity in the "
                               "gradient of input " +
                               std::to_string(i) + " (inputs " + input_shapes(node->inputs) + "; " +
                               where(*node) + ")",
                           roots[0]);
      }
      if (input.grad_fn())
        accumulate(grads[c.edges[edge].source], gi, create_graph);
      else
        to_leaf(input, gi);
    }
    for (std::size_t i = 0; any_direct && i < n_in; ++i) {
      if (!direct[i]) continue;
      Tensor leaf = node->inputs[i];
      if (node->op->accumulate_vjp(args, i, leaf, leaf.impl()->fused_update->scale)) continue;
      // The op cannot for these shapes: its ordinary derivative, delivered at the end.
      std::fill_n(needs_grad.get(), n_in, false);
      needs_grad[i] = true;
      Tensor gi = node->op->vjp(args).at(i);
      if (gi.shape() != leaf.shape() || gi.dtype() != leaf.dtype())
        throw GraphError(node->op->name + ": derivative returned " + meta_string(gi) +
                         " for input " + std::to_string(i) + " of " + meta_string(leaf));
      to_leaf(leaf, gi);
    }
    if (!retain_graph) node->released = true;
  }

  for (auto& [leaf, g] : leaf_grads) {
    if (!leaf.impl()->hooks.empty()) g = run_hooks(*leaf.impl(), std::move(g), who);
    if (capture) {
      if (int i = capture->index_of(leaf.impl()); i >= 0)
        accumulate(capture->grads[i], g, create_graph);
    } else if (fusing && leaf.impl()->fused_update) {
      apply_fused_update(leaf, g);
    } else {
      accumulate_into_grad(*leaf.impl(), g, create_graph);
    }
  }
}

}  // namespace

void Tensor::backward(const Tensor& grad_output, bool retain_graph, bool create_graph) const {
  const Tensor self = *this;
  run_backward(std::span<const Tensor>(&self, 1),
               std::span<const Tensor>(&grad_output, grad_output.defined() ? 1 : 0),
               retain_graph || create_graph, create_graph, nullptr, "backward");
}

std::vector<Tensor> grad(std::span<const Tensor> outputs, std::span<const Tensor> inputs,
                         const GradOptions& options) {
  if (!options.grad_outputs.empty() && options.grad_outputs.size() != outputs.size())
    throw GraphError("grad: got " + std::to_string(options.grad_outputs.size()) +
                     " grad_outputs for " + std::to_string(outputs.size()) + " outputs");
  Capture capture;
  for (const Tensor& t : inputs) {
    if (!t.defined() || !t.requires_grad())
      throw GraphError("grad: every input must be a tensor that requires grad");
    capture.targets.push_back(t.impl());
  }
  capture.grads.resize(inputs.size());
  run_backward(outputs, options.grad_outputs, options.retain_graph || options.create_graph,
               options.create_graph, &capture, "grad");
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!capture.grads[i].defined() && !options.allow_unused)
      throw GraphError("grad: input " + std::to_string(i) +
                       " is not used to compute the outputs (pass allow_unused=true)");
  return std::move(capture.grads);
}

Tensor grad(const Tensor& output, const Tensor& input, const GradOptions& options) {
  return grad(std::span<const Tensor>(&output, 1), std::span<const Tensor>(&input, 1), options)[0];
}

std::size_t graph_size(const Tensor& t) {
  return record_graph(std::span<const Tensor>(&t, 1), /*with_leaves=*/false).nodes.size();
}

}  // namespace dagrad

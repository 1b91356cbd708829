#include <dagrad/core/gradcheck.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_set>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/node.hpp>

namespace dagrad {

namespace {

std::vector<Tensor> float64_leaves(std::span<const Tensor> inputs) {
  std::vector<Tensor> out;
  for (const Tensor& t : inputs) {
    if (!is_floating(t.dtype())) {
      out.push_back(t);
      continue;
    }
    Tensor leaf = t.to(DType::f64).clone();
    leaf.set_requires_grad(true);
    out.push_back(leaf);
  }
  return out;
}

// Grad mode stays on, as for the analytic pass: a function that differentiates inside (a
// gradient penalty, grad-of-grad) must compute the same thing in both passes. The graph it
// records is freed with the returned tensor.
std::vector<double> flat_output(const TensorFn& f, const std::vector<Tensor>& inputs) {
  EnableGradGuard on;
  return f(inputs).to_vector();
}

// Jacobians [out, in] per floating input: numeric by central differences, analytic by one
// backward per output element.
GradcheckResult compare(const TensorFn& f, std::vector<Tensor>& x, const GradcheckOptions& o) {
  GradcheckResult r;
  Tensor y;
  {
    EnableGradGuard on;
    y = f(x);
  }
  if (!is_floating(y.dtype()))
    throw DTypeError("gradcheck: the function must return a floating tensor, got " +
                     std::string(dtype_name(y.dtype())));
  const std::int64_t n_out = y.numel();
  std::vector<Tensor> targets;
  std::vector<std::size_t> target_input;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i].requires_grad()) {
      targets.push_back(x[i]);
      target_input.push_back(i);
    }

  // Analytic: row o of each Jacobian is the gradient with a one-hot upstream gradient at o.
  std::vector<std::vector<double>> analytic(targets.size());
  for (auto& a : analytic) a.reserve(static_cast<std::size_t>(n_out));
  for (std::int64_t o = 0; o < n_out; ++o) {
    std::vector<double> rows;
    if (y.requires_grad()) {
      Tensor seed = zeros(y.shape(), y.dtype());
      dispatch_floating(y.dtype(), "gradcheck",
                        [&](auto tag) { seed.data<typename decltype(tag)::type>()[o] = 1; });
      const std::vector<Tensor> g =
          grad(std::span<const Tensor>(&y, 1), targets,
               {.grad_outputs = {seed}, .retain_graph = true, .allow_unused = true});
      for (std::size_t t = 0; t < targets.size(); ++t) {
        const std::vector<double> gv =
            g[t].defined() ? g[t].to_vector() : std::vector<double>(targets[t].numel(), 0.0);
        analytic[t].insert(analytic[t].end(), gv.begin(), gv.end());
      }
    } else {
      for (std::size_t t = 0; t < targets.size(); ++t)
        analytic[t].insert(analytic[t].end(), targets[t].numel(), 0.0);
    }
  }

  // Numeric: perturb each element by ±eps, evaluate f without recording.
  for (std::size_t t = 0; t < targets.size(); ++t) {
    Tensor& xt = x[target_input[t]];
    double* p = xt.data<double>();
    const std::int64_t n_in = xt.numel();
    for (std::int64_t j = 0; j < n_in; ++j) {
      const double saved = p[j];
      p[j] = saved + o.eps;
      const std::vector<double> plus = flat_output(f, x);
      p[j] = saved - o.eps;
      const std::vector<double> minus = flat_output(f, x);
      p[j] = saved;
      for (std::int64_t k = 0; k < n_out; ++k) {
        const double numeric = (plus[k] - minus[k]) / (2 * o.eps);
        const double a = analytic[t][static_cast<std::size_t>(k * n_in + j)];
        const double abs_err = std::abs(a - numeric);
        const double rel_err = abs_err / std::max(std::abs(numeric), 1e-12);
        const bool bad = !(abs_err <= o.atol + o.rtol * std::abs(numeric));
        r.max_abs_error = std::max(r.max_abs_error, abs_err);
        if (std::abs(numeric) > o.atol) r.max_rel_error = std::max(r.max_rel_error, rel_err);
        if (bad && (r.ok || abs_err > r.worst.abs_error)) {
          r.ok = false;
          r.worst = {target_input[t], j, k, a, numeric, abs_err, rel_err};
        }
      }
    }
  }
  return r;
}

std::string describe(const GradcheckResult& r, std::span<const Tensor> inputs) {
  std::ostringstream os;
  os.precision(10);
  if (r.ok) {
    os << "gradcheck passed: analytic and numeric Jacobians agree (max abs error "
       << r.max_abs_error << ", max rel error " << r.max_rel_error << ")";
    return os.str();
  }
  const GradcheckMismatch& w = r.worst;
  os << "gradcheck failed: d output[" << w.output_index << "] / d input " << w.input << "["
     << w.input_index << "] (input shape " << to_string(inputs[w.input].shape()) << "): analytic "
     << w.analytic << ", numeric " << w.numeric << ", abs error " << w.abs_error << ", rel error "
     << w.rel_error;
  if (!r.nearest_op.empty()) os << "; nearest op at fault: " << r.nearest_op;
  return os.str();
}

// Re-checks every node of f's graph on its own, inputs first, and names the first op whose
// derivative disagrees with its own finite differences.
std::string find_faulty_op(const TensorFn& f, const std::vector<Tensor>& x,
                           const GradcheckOptions& o) {
  Tensor y;
  {
    EnableGradGuard on;
    y = f(x);
  }
  if (!y.grad_fn()) return "";
  // Nodes in creation order (inputs before consumers).
  std::vector<Node*> nodes;
  std::vector<Node*> stack{y.grad_fn().get()};
  std::unordered_set<Node*> seen{y.grad_fn().get()};
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    nodes.push_back(n);
    for (const Tensor& in : n->inputs)
      if (in.grad_fn() && seen.insert(in.grad_fn().get()).second)
        stack.push_back(in.grad_fn().get());
  }
  std::sort(nodes.begin(), nodes.end(), [](Node* a, Node* b) { return a->sequence < b->sequence; });
  for (Node* n : nodes) {
    std::vector<Tensor> inputs;
    for (const Tensor& in : n->inputs) inputs.push_back(in.detach());
    if (!gradcheck_op(*n->op, inputs, n->attrs, o).ok)
      return n->op->name + (n->scope.empty() ? "" : " (scope '" + n->scope + "')") + ", node #" +
             std::to_string(n->sequence);
  }
  return "";
}

}  // namespace

GradcheckResult gradcheck(const TensorFn& f, std::span<const Tensor> inputs,
                          const GradcheckOptions& options) {
  std::vector<Tensor> x = float64_leaves(inputs);
  GradcheckResult r = compare(f, x, options);
  if (!r.ok) r.nearest_op = find_faulty_op(f, x, options);
  r.report = describe(r, inputs);
  return r;
}

GradcheckResult gradcheck_op(const OpDef& op, std::span<const Tensor> inputs, const Attrs& attrs,
                             const GradcheckOptions& options) {
  std::vector<Tensor> x = float64_leaves(inputs);
  const TensorFn f = [&](std::span<const Tensor> in) {
    return apply(op, std::vector<Tensor>(in.begin(), in.end()), attrs);
  };
  GradcheckResult r = compare(f, x, options);
  if (!r.ok) r.nearest_op = op.name;
  r.report = describe(r, inputs);
  return r;
}

}  // namespace dagrad

// A plugin of the dagrad tool: one user op, softplus (as PyTorch's), in a shared library that
// the installed tool loads at run time, no recompiling of dagrad:
//   softplus(x, beta=1) = log(1 + e^(βx)) / β,        d/dx = σ(βx)
//   dagrad eval --plugin build/examples/plugin_softplus/softplus_op.so -e 'sum(softplus(x))' ...
// The op is an OpDef like any built-in one (ops/sigmoid.cpp): name, shape rule, forward kernel,
// derivative, label. This file is built with `-fPIC -shared` and dagrad's headers, and not
// linked with libdagrad: the tool provides dagrad's symbols, and so its own op registry
// (CMakeLists.txt here, docs/plugins.md).
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <dagrad/core/error.hpp>
#include <dagrad/core/plugin.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/sigmoid.hpp>

namespace {

using namespace dagrad;

// β, from the keyword beta= (default 1). ValueError unless it is a positive finite number.
double beta_of(const Attrs& attrs) {
  const double beta = attrs.get<double>("beta", 1.0);
  if (!(beta > 0) || !std::isfinite(beta)) {
    std::ostringstream os;
    os << "softplus: beta must be a positive number, got " << beta;
    throw ValueError(os.str());
  }
  return beta;
}

OpDef softplus_def() {
  OpDef op;
  op.name = "softplus";
  op.doc = "log(1 + exp(beta * x)) / beta, beta=NUMBER > 0 (default 1)";
  op.keywords = {"beta"};
  // "softplus", or "softplus(β=2)" when beta is given, as DOT labels show attributes.
  op.label = [](const Attrs& attrs) {
    if (!attrs.has("beta")) return std::string("softplus");
    std::ostringstream os;
    os << "softplus(β=" << attrs.get<double>("beta") << ")";
    return os.str();
  };
  op.infer = [](std::span<const Tensor> in, const Attrs& attrs) {
    beta_of(attrs);
    if (!is_floating(in[0].dtype()))
      throw DTypeError(std::string("softplus: expected a floating tensor, got ") +
                       dtype_name(in[0].dtype()));
    return TensorMeta{in[0].shape(), in[0].dtype()};
  };
  op.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
    const double beta = beta_of(attrs);
    const Tensor& x = in[0];
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    dispatch_floating(x.dtype(), "softplus", [&](auto tag) {
      using T = typename decltype(tag)::type;
      using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
      const Array z = Eigen::Map<const Array>(x.data<T>(), x.numel()) * T(beta);
      // log(1 + e^z) overflows for z ≳ 89 in float32; max(z, 0) + log1p(e^-|z|) never does.
      Eigen::Map<Array>(out.data<T>(), x.numel()) =
          (z.max(T(0)) + (-z.abs()).exp().log1p()) / T(beta);
    });
    return out;
  };
  op.vjp = [](const VjpArgs& a) {
    // σ(βx) with dagrad's own ops, so the derivative can be differentiated again.
    const double beta = beta_of(a.attrs);
    const Tensor s = sigmoid(beta == 1.0 ? a.inputs[0] : a.inputs[0] * beta);
    return std::vector<Tensor>{mul(a.grad_output, s)};
  };
  return op;
}

}  // namespace

extern "C" void dagrad_register_ops() {
  register_op(softplus_def());
}

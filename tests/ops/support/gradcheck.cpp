#include "ops/support/gradcheck.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>

#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/ops/mul.hpp>
#include <dagrad/ops/sum.hpp>

namespace dagrad::testing {

namespace {

// "(1,2)" for flat index 6 of shape [2,4].
std::string index_string(const Shape& shape, std::int64_t flat) {
  std::vector<std::int64_t> idx(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  std::ostringstream s;
  s << '(';
  for (std::size_t d = 0; d < idx.size(); ++d) s << (d ? "," : "") << idx[d];
  s << ')';
  return s.str();
}

Tensor checked_output(const Fn& f, const std::vector<Tensor>& inputs) {
  Tensor out = f(inputs);
  if (!out.defined() || out.dtype() != DType::f64)
    throw DTypeError("gradcheck: f must return a defined float64 tensor");
  return out;
}

std::int64_t total_numel(const std::vector<Tensor>& inputs) {
  std::int64_t n = 0;
  for (const Tensor& t : inputs) n += t.numel();
  return n;
}

}  // namespace

std::vector<std::vector<double>> analytic_jacobian(const Fn& f, const std::vector<Tensor>& inputs) {
  std::vector<Tensor> leaves;
  for (const Tensor& t : inputs) leaves.push_back(t.clone().set_requires_grad());
  const Shape out_shape = checked_output(f, leaves).shape();
  const std::int64_t n_out = numel(out_shape);
  std::vector<std::vector<double>> jac(n_out, std::vector<double>(total_numel(inputs), 0.0));
  for (std::int64_t j = 0; j < n_out; ++j) {
    for (Tensor& leaf : leaves) leaf.zero_grad();
    const Tensor out = checked_output(f, leaves);  // a fresh graph per row
    if (!out.requires_grad()) continue;            // f does not depend on the inputs: a zero row
    Tensor g = zeros(out_shape, DType::f64);
    g.data<double>()[j] = 1.0;
    out.backward(g);
    std::int64_t col = 0;
    for (const Tensor& leaf : leaves) {
      const Tensor gr = leaf.grad();
      if (gr.defined()) {
        if (gr.shape() != leaf.shape())
          throw ShapeError("gradcheck: gradient of shape " + to_string(gr.shape()) +
                           " for an input of shape " + to_string(leaf.shape()));
        const std::vector<double> v = gr.to_vector();
        std::copy(v.begin(), v.end(), jac[j].begin() + col);
      }
      col += leaf.numel();
    }
  }
  return jac;
}

std::vector<std::vector<double>> numeric_jacobian(const Fn& f, const std::vector<Tensor>& inputs,
                                                  double eps) {
  NoGradGuard no_grad;
  std::vector<Tensor> xs;
  for (const Tensor& t : inputs) xs.push_back(t.clone());
  const std::int64_t n_out = checked_output(f, xs).numel();
  std::vector<std::vector<double>> jac(n_out, std::vector<double>(total_numel(inputs), 0.0));
  std::int64_t col = 0;
  for (Tensor& x : xs) {
    if (x.dtype() != DType::f64) throw DTypeError("gradcheck: inputs must be float64");
    double* p = x.data<double>();
    for (std::int64_t k = 0; k < x.numel(); ++k, ++col) {
      const double saved = p[k];
      p[k] = saved + eps;
      const std::vector<double> plus = checked_output(f, xs).to_vector();
      p[k] = saved - eps;
      const std::vector<double> minus = checked_output(f, xs).to_vector();
      p[k] = saved;
      for (std::int64_t j = 0; j < n_out; ++j) jac[j][col] = (plus[j] - minus[j]) / (2 * eps);
    }
  }
  return jac;
}

GradcheckResult gradcheck(const Fn& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options) {
  GradcheckResult result;
  const Shape out_shape = [&] {
    NoGradGuard no_grad;
    return checked_output(f, inputs).shape();
  }();
  const auto analytic = analytic_jacobian(f, inputs);
  const auto numeric = numeric_jacobian(f, inputs, options.eps);
  std::ostringstream report;
  report.precision(12);
  int failures = 0;
  for (std::size_t j = 0; j < analytic.size(); ++j) {
    std::int64_t col = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      for (std::int64_t k = 0; k < inputs[i].numel(); ++k, ++col) {
        const double a = analytic[j][col], n = numeric[j][col];
        const double abs_err = std::abs(a - n);
        const double err = abs_err / std::max({std::abs(a), std::abs(n), options.floor});
        const bool bad = !(err <= options.tolerance);  // catches nan too
        if (!std::isnan(err)) result.max_error = std::max(result.max_error, err);
        if (bad) {
          result.ok = false;
          if (++failures <= 20)
            report << "input " << i << " " << to_string(inputs[i].shape()) << " element "
                   << index_string(inputs[i].shape(), k) << ", output element "
                   << index_string(out_shape, static_cast<std::int64_t>(j)) << ": analytic " << a
                   << " vs numeric " << n << " (abs err " << abs_err << ", rel err " << err
                   << ")\n";
        }
      }
    }
  }
  if (failures > 20) report << "... and " << failures - 20 << " more\n";
  if (result.ok)
    report << "gradcheck ok, max error " << result.max_error << "\n";
  else
    report << failures << " Jacobian entries disagree; max error " << result.max_error << "\n";
  result.report = report.str();
  return result;
}

Tensor random_weights(const Shape& shape, unsigned seed, DType dtype) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(0.5, 1.5);
  std::vector<double> w(static_cast<std::size_t>(numel(shape)));
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = (i % 2 ? -1.0 : 1.0) * dist(gen);
  return Tensor::from_values(shape, w, dtype);
}

Tensor weighted_sum(const Tensor& t, const Tensor& weights) {
  return sum(mul(t, weights));
}

Fn reduce_with_random_weights(Fn f, unsigned seed) {
  return [f = std::move(f), seed](const std::vector<Tensor>& in) {
    const Tensor out = f(in);
    return weighted_sum(out, random_weights(out.shape(), seed, out.dtype()));
  };
}

}  // namespace dagrad::testing

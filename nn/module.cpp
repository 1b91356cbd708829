#include <dagrad/nn/module.hpp>

#include <algorithm>

#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>

namespace dagrad::nn {

Tensor Module::operator()(const Tensor& x) {
  if (name_.empty()) return forward(x);
  ScopeGuard scope(name_);
  return forward(x);
}

std::vector<NamedTensor> Module::named_parameters() const {
  std::vector<NamedTensor> out = params_;
  for (const auto& child : children_)
    for (NamedTensor& p : child->named_parameters())
      out.push_back({child->name() + "." + p.name, std::move(p.tensor)});
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (NamedTensor& p : named_parameters()) out.push_back(std::move(p.tensor));
  return out;
}

std::int64_t Module::parameter_count() const {
  std::int64_t n = 0;
  for (const Tensor& p : parameters()) n += p.numel();
  return n;
}

void Module::zero_grad(bool set_to_none) {
  for (Tensor& p : parameters()) p.zero_grad(set_to_none);
}

namespace {
bool name_taken(const std::string& name, const std::vector<NamedTensor>& params,
                const std::vector<std::shared_ptr<Module>>& children) {
  return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.name == name; }) ||
         std::any_of(children.begin(), children.end(),
                     [&](const auto& c) { return c->name() == name; });
}
}  // namespace

Tensor Module::register_parameter(const std::string& name, Tensor t) {
  if (name.empty() || name.find('.') != std::string::npos)
    throw ValueError("register_parameter: '" + name +
                     "' is not a valid parameter name (non-empty, no '.')");
  if (name_taken(name, params_, children_))
    throw ValueError("register_parameter: '" + name + "' is already a parameter or module of '" +
                     name_ + "'");
  t.set_requires_grad(true);
  t.set_name(name);
  params_.push_back({name, t});
  return t;
}

void Module::register_module(std::shared_ptr<Module> child) {
  if (!child) throw ValueError("register_module: null module");
  if (child->name_.empty()) child->name_ = std::to_string(children_.size());
  if (child->name_.find('.') != std::string::npos)
    throw ValueError("register_module: '" + child->name_ + "' is not a valid module name (no '.')");
  if (name_taken(child->name_, params_, children_))
    throw ValueError("register_module: '" + child->name_ +
                     "' is already a parameter or module of '" + name_ + "'");
  // Display names follow the full path, so DOT and messages show "fc1.weight".
  for (NamedTensor& p : child->named_parameters()) p.tensor.set_name(child->name_ + "." + p.name);
  children_.push_back(std::move(child));
}

}  // namespace dagrad::nn

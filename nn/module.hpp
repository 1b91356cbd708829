// Module: a piece of a model with named parameters and named sub-modules, collected
// recursively ("fc1.weight"), as torch.nn.Module does. Parameters are Tensor handles shared with
// the module: an optimiser updating them in place updates the model.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <dagrad/core/tensor.hpp>

namespace dagrad::nn {

struct NamedTensor {
  std::string name;
  Tensor tensor;
};

class Module {
 public:
  virtual ~Module() = default;
  Module(const Module&) = delete;  // copies would alias parameters; share a pointer instead
  Module& operator=(const Module&) = delete;

  // forward(x), recorded inside a named scope (the module's name, when it has one), so the
  // graph export draws each layer as a cluster.
  Tensor operator()(const Tensor& x);
  virtual Tensor forward(const Tensor& x) = 0;
  // One line for summaries, e.g. "Linear(784, 256)".
  virtual std::string describe() const = 0;

  // The name given at construction, or by the parent (its index in a Sequential) when empty.
  const std::string& name() const { return name_; }

  // Own parameters in registration order, then each child's prefixed with "<child>.", depth
  // first: a deterministic order that save/load and optimisers rely on.
  std::vector<NamedTensor> named_parameters() const;
  std::vector<Tensor> parameters() const;
  std::int64_t parameter_count() const;  // total number of scalars
  const std::vector<std::shared_ptr<Module>>& children() const { return children_; }

  // Clears every parameter's gradient (see Tensor::zero_grad).
  void zero_grad(bool set_to_none = true);

 protected:
  explicit Module(std::string name = "") : name_(std::move(name)) {}

  // Registers t as the parameter `name` (a non-empty name without '.'), marks it as requiring
  // grad and names the tensor after it. Returns t. ValueError when the name is invalid or taken.
  Tensor register_parameter(const std::string& name, Tensor t);
  // Registers a sub-module; an unnamed one is named after its position among the children.
  // Its parameters are renamed "<child>.<name>" for display. ValueError when the name is taken.
  void register_module(std::shared_ptr<Module> child);

 private:
  std::string name_;
  std::vector<NamedTensor> params_;
  std::vector<std::shared_ptr<Module>> children_;
};

}  // namespace dagrad::nn

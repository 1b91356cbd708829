#include <dagrad/nn/activation.hpp>

#include <dagrad/core/error.hpp>
#include <dagrad/ops/relu.hpp>
#include <dagrad/ops/sigmoid.hpp>
#include <dagrad/ops/softmax.hpp>
#include <dagrad/ops/tanh.hpp>

namespace dagrad::nn {

Tensor Sigmoid::forward(const Tensor& x) {
  return sigmoid(x);
}
Tensor Tanh::forward(const Tensor& x) {
  return dagrad::tanh(x);
}
Tensor ReLU::forward(const Tensor& x) {
  return relu(x);
}
Tensor Softmax::forward(const Tensor& x) {
  return softmax(x, axis_);
}
std::string Softmax::describe() const {
  return "Softmax(axis=" + std::to_string(axis_) + ")";
}

std::shared_ptr<Module> make_activation(const std::string& kind, std::string name) {
  if (kind == "relu") return std::make_shared<ReLU>(std::move(name));
  if (kind == "sigmoid") return std::make_shared<Sigmoid>(std::move(name));
  if (kind == "tanh") return std::make_shared<Tanh>(std::move(name));
  if (kind == "softmax") return std::make_shared<Softmax>(-1, std::move(name));
  throw ValueError("activation: unknown kind '" + kind +
                   "' (expected relu, sigmoid, tanh or softmax)");
}

Init init_for_activation(const std::string& kind) {
  return kind == "relu" ? Init::he_uniform : Init::xavier_uniform;
}

}  // namespace dagrad::nn

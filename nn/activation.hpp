// Activation modules: parameter-free wrappers of the element-wise ops, for use in a Sequential.
//   Sigmoid  σ(x) = 1 / (1 + e^(−x))      Tanh  tanh(x)
//   ReLU     max(0, x)                    Softmax  e^(x_i) / Σ_j e^(x_j) along an axis
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <dagrad/nn/init.hpp>
#include <dagrad/nn/module.hpp>

namespace dagrad::nn {

class Sigmoid : public Module {
 public:
  explicit Sigmoid(std::string name = "") : Module(std::move(name)) {}
  Tensor forward(const Tensor& x) override;
  std::string describe() const override { return "Sigmoid()"; }
};

class Tanh : public Module {
 public:
  explicit Tanh(std::string name = "") : Module(std::move(name)) {}
  Tensor forward(const Tensor& x) override;
  std::string describe() const override { return "Tanh()"; }
};

class ReLU : public Module {
 public:
  explicit ReLU(std::string name = "") : Module(std::move(name)) {}
  Tensor forward(const Tensor& x) override;
  std::string describe() const override { return "ReLU()"; }
};

class Softmax : public Module {
 public:
  explicit Softmax(std::int64_t axis = -1, std::string name = "")
      : Module(std::move(name)), axis_(axis) {}
  Tensor forward(const Tensor& x) override;  // ShapeError from softmax on a bad axis
  std::string describe() const override;

 private:
  std::int64_t axis_;
};

// "relu", "sigmoid", "tanh" or "softmax" -> a new module; ValueError naming the accepted names.
std::shared_ptr<Module> make_activation(const std::string& kind, std::string name = "");
// The initialiser that suits a layer feeding this activation: He for ReLU, Xavier otherwise.
Init init_for_activation(const std::string& kind);

}  // namespace dagrad::nn

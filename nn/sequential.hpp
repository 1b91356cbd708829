// Sequential: modules applied one after the other, out = m_n(...m_2(m_1(x))). Children keep
// their names; unnamed ones are named by position ("0", "1", ...), so parameters read
// "0.weight" or "fc1.weight".
#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include <dagrad/nn/module.hpp>

namespace dagrad::nn {

class Sequential : public Module {
 public:
  explicit Sequential(std::string name = "") : Module(std::move(name)) {}
  // ValueError (from register_module) when two children share a name.
  Sequential(std::initializer_list<std::shared_ptr<Module>> modules, std::string name = "");

  // Appends m; returns *this for chaining. ValueError on a null module or a taken name.
  Sequential& add(std::shared_ptr<Module> m);
  // Constructs an M in place and appends it.
  template <class M, class... Args>
  M& emplace(Args&&... args) {
    auto m = std::make_shared<M>(std::forward<Args>(args)...);
    M& ref = *m;
    add(std::move(m));
    return ref;
  }

  std::size_t size() const { return children().size(); }
  Module& operator[](std::size_t i) const;  // ValueError when i is out of range

  // Each child in order (each inside its own scope). An empty Sequential returns x.
  Tensor forward(const Tensor& x) override;
  // "Sequential(Linear(784, 256), ReLU(), Linear(256, 10))"
  std::string describe() const override;
};

}  // namespace dagrad::nn

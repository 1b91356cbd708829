#include <dagrad/nn/sequential.hpp>

#include <dagrad/core/error.hpp>

namespace dagrad::nn {

Sequential::Sequential(std::initializer_list<std::shared_ptr<Module>> modules, std::string name)
    : Module(std::move(name)) {
  for (const auto& m : modules) add(m);
}

Sequential& Sequential::add(std::shared_ptr<Module> m) {
  register_module(std::move(m));
  return *this;
}

Module& Sequential::operator[](std::size_t i) const {
  if (i >= size())
    throw ValueError("Sequential: index " + std::to_string(i) + " is out of range for " +
                     std::to_string(size()) + " modules");
  return *children()[i];
}

Tensor Sequential::forward(const Tensor& x) {
  Tensor y = x;
  for (const auto& m : children()) y = (*m)(y);
  return y;
}

std::string Sequential::describe() const {
  std::string s = "Sequential(";
  for (std::size_t i = 0; i < size(); ++i) s += (i ? ", " : "") + children()[i]->describe();
  return s + ")";
}

}  // namespace dagrad::nn

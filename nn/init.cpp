#include <dagrad/nn/init.hpp>

#include <cmath>

#include <dagrad/core/error.hpp>

namespace dagrad::nn {

Tensor init_weight(const Shape& shape, Init init, Generator& gen, DType dtype) {
  if (shape.size() != 2)
    throw ShapeError(std::string("init_weight: ") + init_name(init) +
                     " needs a 2-D [fan_in, fan_out] shape (got " + to_string(shape) + ")");
  if (!is_floating(dtype))
    throw DTypeError(std::string("init_weight: weights must be floating (got ") +
                     dtype_name(dtype) + ")");
  const double fan_in = static_cast<double>(shape[0]);
  const double fan_out = static_cast<double>(shape[1]);
  switch (init) {
    case Init::xavier_uniform: {
      const double a = std::sqrt(6.0 / (fan_in + fan_out));
      return uniform(shape, -a, a, gen, dtype);
    }
    case Init::he_uniform: {
      const double a = std::sqrt(6.0 / fan_in);
      return uniform(shape, -a, a, gen, dtype);
    }
    case Init::xavier_normal:
    case Init::he_normal:
      break;
  }
  const double stddev =
      init == Init::xavier_normal ? std::sqrt(2.0 / (fan_in + fan_out)) : std::sqrt(2.0 / fan_in);
  Tensor w = randn(shape, gen, dtype);
  dispatch_floating(dtype, "init_weight", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* p = w.data<T>();
    for (std::int64_t i = 0; i < w.numel(); ++i) p[i] = static_cast<T>(p[i] * stddev);
  });
  return w;
}

Init parse_init(const std::string& name) {
  for (Init i : {Init::xavier_uniform, Init::xavier_normal, Init::he_uniform, Init::he_normal})
    if (name == init_name(i)) return i;
  throw ValueError("init: unknown initialiser '" + name +
                   "' (expected xavier_uniform, xavier_normal, he_uniform or he_normal)");
}

const char* init_name(Init init) {
  switch (init) {
    case Init::xavier_uniform:
      return "xavier_uniform";
    case Init::xavier_normal:
      return "xavier_normal";
    case Init::he_uniform:
      return "he_uniform";
    case Init::he_normal:
      return "he_normal";
  }
  return "?";
}

}  // namespace dagrad::nn

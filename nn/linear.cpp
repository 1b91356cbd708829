#include <dagrad/nn/linear.hpp>

#include <dagrad/core/error.hpp>
#include <dagrad/ops/add.hpp>
#include <dagrad/ops/matmul.hpp>

namespace dagrad::nn {

namespace {
// A temporary generator lives until the delegating constructor's call completes.
Generator& as_lvalue(Generator&& gen) {
  return gen;
}
}  // namespace

Linear::Linear(std::int64_t in, std::int64_t out, Generator& gen, const LinearOptions& options)
    : Module(options.name) {
  if (in < 1 || out < 1)
    throw ValueError("Linear: sizes must be at least 1 (got in=" + std::to_string(in) +
                     ", out=" + std::to_string(out) + ")");
  weight_ = register_parameter("weight", init_weight({in, out}, options.init, gen, options.dtype));
  if (options.bias) bias_ = register_parameter("bias", zeros({1, out}, options.dtype));
}

Linear::Linear(std::int64_t in, std::int64_t out, std::uint64_t seed, const LinearOptions& options)
    : Linear(in, out, as_lvalue(Generator(seed)), options) {}

Tensor Linear::forward(const Tensor& x) {
  Tensor y = matmul(x, weight_);
  return bias_.defined() ? y + bias_ : y;
}

std::string Linear::describe() const {
  return "Linear(" + std::to_string(in_features()) + ", " + std::to_string(out_features()) +
         (bias_.defined() ? "" : ", bias=false") + ")";
}

}  // namespace dagrad::nn

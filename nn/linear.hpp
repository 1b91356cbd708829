// Linear: the seed's dense layer, out = X·W + b.
//   x [B, in] -> out [B, out];  W [in, out] ("weight"), b [1, out] ("bias"), broadcast over rows.
#pragma once

#include <cstdint>
#include <string>

#include <dagrad/core/random.hpp>
#include <dagrad/nn/init.hpp>
#include <dagrad/nn/module.hpp>

namespace dagrad::nn {

struct LinearOptions {
  Init init = Init::xavier_uniform;  // he_uniform / he_normal before a ReLU
  bool bias = true;                  // b starts at zero
  DType dtype = DType::f32;
  std::string name{};  // scope and parameter prefix; empty = named by the parent
};

class Linear : public Module {
 public:
  // W drawn from `gen` with options.init. ValueError when in or out is below 1.
  Linear(std::int64_t in, std::int64_t out, Generator& gen, const LinearOptions& options = {});
  // The same with a generator seeded by `seed`.
  Linear(std::int64_t in, std::int64_t out, std::uint64_t seed = 0,
         const LinearOptions& options = {});

  // matmul(x, W) + b. ShapeError from matmul when x is not [B, in].
  Tensor forward(const Tensor& x) override;
  std::string describe() const override;

  const Tensor& weight() const { return weight_; }
  const Tensor& bias() const { return bias_; }  // undefined without bias
  std::int64_t in_features() const { return weight_.size(0); }
  std::int64_t out_features() const { return weight_.size(1); }

 private:
  Tensor weight_, bias_;
};

}  // namespace dagrad::nn

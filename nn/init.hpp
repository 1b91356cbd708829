// Seeded weight initialisers for a weight matrix of shape [fan_in, fan_out] (Linear's W):
//   xavier_uniform  U(−a, a), a = √(6 / (fan_in + fan_out))    Glorot & Bengio 2010, for
//   tanh/sigmoid xavier_normal   N(0, 2 / (fan_in + fan_out)) he_uniform      U(−a, a), a = √(6 /
//   fan_in)                He et al. 2015, for ReLU he_normal       N(0, 2 / fan_in)
// The same generator state gives the same values. ShapeError when the shape is not 2-D;
// DTypeError when dtype is not floating.
#pragma once

#include <string>

#include <dagrad/core/random.hpp>
#include <dagrad/core/tensor.hpp>

namespace dagrad::nn {

enum class Init { xavier_uniform, xavier_normal, he_uniform, he_normal };

Tensor init_weight(const Shape& shape, Init init, Generator& gen, DType dtype = DType::f32);

// "xavier_uniform" ... ; ValueError naming the accepted names otherwise.
Init parse_init(const std::string& name);
const char* init_name(Init init);

}  // namespace dagrad::nn

// Element types. float32 is the default; float64 serves gradient checks; int64 holds class
// labels and indices (argmax), which no op differentiates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include <dagrad/core/error.hpp>

namespace dagrad {

enum class DType : std::uint8_t { f32, f64, i64 };

inline const char* dtype_name(DType d) {
  switch (d) {
    case DType::f32:
      return "float32";
    case DType::f64:
      return "float64";
    case DType::i64:
      return "int64";
  }
  return "?";
}

inline std::size_t dtype_size(DType d) {
  return d == DType::f32 ? 4 : 8;
}

inline bool is_floating(DType d) {
  return d == DType::f32 || d == DType::f64;
}

template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, float>)
    return DType::f32;
  else if constexpr (std::is_same_v<T, double>)
    return DType::f64;
  else {
    static_assert(std::is_same_v<T, std::int64_t>, "dagrad tensors hold float, double or int64");
    return DType::i64;
  }
}

template <class T>
struct TypeTag {
  using type = T;
};

// Calls f(TypeTag<T>{}) with T the C++ type of a floating dtype; throws for int64, naming `op`.
template <class F>
decltype(auto) dispatch_floating(DType d, const char* op, F&& f) {
  switch (d) {
    case DType::f32:
      return f(TypeTag<float>{});
    case DType::f64:
      return f(TypeTag<double>{});
    default:
      break;
  }
  throw DTypeError(std::string(op) + ": expected a floating tensor (float32 or float64), got " +
                   dtype_name(d));
}

// Same, for any dtype.
template <class F>
decltype(auto) dispatch_any(DType d, F&& f) {
  switch (d) {
    case DType::f32:
      return f(TypeTag<float>{});
    case DType::f64:
      return f(TypeTag<double>{});
    case DType::i64:
      return f(TypeTag<std::int64_t>{});
  }
  return f(TypeTag<float>{});
}

}  // namespace dagrad

// Header-only assertions shared by every test area: tensors against expected values, and
// exceptions of a given type whose message names what it should.
#pragma once

#include <cmath>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <dagrad/core/tensor.hpp>

namespace dagrad::testing {

// got has `shape` and, element by element, |got − want| ≤ atol + rtol·|want| (nan matches nan,
// ±inf matches itself).
inline ::testing::AssertionResult tensor_near(const Tensor& got, const Shape& shape,
                                              const std::vector<double>& want, double rtol,
                                              double atol) {
  if (!got.defined()) return ::testing::AssertionFailure() << "the tensor is undefined";
  if (got.shape() != shape)
    return ::testing::AssertionFailure()
           << "shape " << to_string(got.shape()) << ", expected " << to_string(shape);
  if (static_cast<std::size_t>(got.numel()) != want.size())
    return ::testing::AssertionFailure() << "expected " << want.size() << " values for shape "
                                         << to_string(shape) << " (bad test data)";
  const std::vector<double> v = got.to_vector();
  std::ostringstream bad;
  bad.precision(17);
  int failures = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const double g = v[i], w = want[i];
    const bool ok = std::isnan(w)   ? std::isnan(g)
                    : std::isinf(w) ? g == w
                                    : std::abs(g - w) <= atol + rtol * std::abs(w);
    if (!ok && ++failures <= 10)
      bad << "  [" << i << "] got " << g << ", expected " << w << " (diff " << g - w << ")\n";
  }
  if (failures == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << failures << " of " << v.size() << " values differ (rtol "
                                       << rtol << ", atol " << atol << "):\n"
                                       << bad.str();
}

inline ::testing::AssertionResult tensor_near(const Tensor& got, const Tensor& want, double rtol,
                                              double atol) {
  return tensor_near(got, want.shape(), want.to_vector(), rtol, atol);
}

// Every part appears in message.
inline ::testing::AssertionResult message_contains(const std::string& message,
                                                   std::initializer_list<std::string> parts) {
  for (const std::string& part : parts)
    if (message.find(part) == std::string::npos)
      return ::testing::AssertionFailure()
             << "message \"" << message << "\" does not contain \"" << part << "\"";
  return ::testing::AssertionSuccess();
}

}  // namespace dagrad::testing

// EXPECT_THROW_WITH(matmul(a, b), ShapeError, "matmul", "[2,3]"): the statement throws exactly
// that type (or a subclass), and its message contains each string.
#define EXPECT_THROW_WITH(statement, ErrorType, ...)                                          \
  do {                                                                                        \
    try {                                                                                     \
      (void)(statement);                                                                      \
      ADD_FAILURE() << "expected " #ErrorType " from " #statement ", nothing was thrown";     \
    } catch (const ErrorType& error_) {                                                       \
      EXPECT_TRUE(::dagrad::testing::message_contains(error_.what(), {__VA_ARGS__}))          \
          << "from " #statement;                                                              \
    } catch (const std::exception& error_) {                                                  \
      ADD_FAILURE() << "expected " #ErrorType " from " #statement ", got another exception: " \
                    << error_.what();                                                         \
    }                                                                                         \
  } while (0)

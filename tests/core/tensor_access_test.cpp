// Element access, item(), dtype conversion, and handle semantics (copies share, clone copies).
#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

#include "core/support/expect.hpp"

namespace dagrad::testing {
namespace {

TEST(TensorAccess, AtAndSet) {
  Tensor t = zeros({2, 3}, DType::f64);
  t.set({1, 2}, 7.5);
  EXPECT_EQ(t.at({1, 2}), 7.5);
  EXPECT_EQ(t.to_vector()[5], 7.5);
  EXPECT_EQ(t.at({0, 0}), 0.0);
  Tensor labels = zeros({2}, DType::i64);
  labels.set({1}, 4);
  EXPECT_EQ(labels.at({1}), 4.0);
}

TEST(TensorAccess, BadIndexIsAValueError) {
  Tensor t = zeros({2, 3});
  EXPECT_THROW_WITH(t.at({2, 0}), ValueError, "2", "[2,3]");
  EXPECT_THROW_WITH(t.at({0, -1}), ValueError, "-1", "[2,3]");
  EXPECT_THROW_WITH(t.at({0}), ValueError, "[2,3]");
  EXPECT_THROW_WITH(t.set({0, 3}, 1.0), ValueError, "3", "[2,3]");
}

TEST(TensorAccess, ItemOfOneElementOnly) {
  EXPECT_EQ(full({}, 3.25).item(), 3.25);
  EXPECT_EQ(full({1, 1}, -2.0).item(), -2.0);
  EXPECT_THROW_WITH(zeros({2}).item(), ValueError, "item", "[2]");
}

TEST(TensorAccess, DataOfTheWrongTypeIsADTypeError) {
  Tensor t = zeros({2}, DType::f64);
  EXPECT_NO_THROW(t.data<double>());
  EXPECT_THROW_WITH(t.data<float>(), DTypeError, "float64", "float32");
}

TEST(TensorAccess, ToConvertsDtype) {
  const Tensor x = tensor({1.5, -2.25, 3.0}, DType::f64);
  const Tensor f = x.to(DType::f32);
  EXPECT_EQ(f.dtype(), DType::f32);
  EXPECT_TRUE(tensor_near(f, {3}, {1.5, -2.25, 3.0}, 0, 0));
  const Tensor i = x.to(DType::i64);
  EXPECT_EQ(i.dtype(), DType::i64);
  EXPECT_TRUE(tensor_near(i, {3}, {1, -2, 3}, 0, 0));  // truncation toward zero, as C++ casts
  EXPECT_EQ(x.to(DType::f64).impl(), x.impl());        // same dtype: the tensor itself
  const Tensor third = tensor({1.0 / 3.0}, DType::f64).to(DType::f32);
  EXPECT_EQ(third.at({0}), static_cast<double>(1.0f / 3.0f));
}

TEST(TensorAccess, CopiesShareDataAndCloneDoesNot) {
  Tensor a = zeros({2}, DType::f64);
  Tensor b = a;  // a handle: same tensor
  Tensor c = a.clone();
  b.set({0}, 5.0);
  EXPECT_EQ(a.at({0}), 5.0);
  EXPECT_EQ(c.at({0}), 0.0);
  EXPECT_EQ(a.impl(), b.impl());
  EXPECT_NE(a.impl(), c.impl());
  c.set({1}, 9.0);
  EXPECT_EQ(a.at({1}), 0.0);
}

TEST(TensorAccess, CloneIsANewLeaf) {
  Tensor x = ones({2}, DType::f64).set_requires_grad();
  const Tensor y = x * 2.0;
  const Tensor z = y.clone();
  EXPECT_TRUE(z.is_leaf());
  EXPECT_FALSE(z.requires_grad());
  EXPECT_TRUE(tensor_near(z, {2}, {2, 2}, 0, 0));
}

TEST(TensorAccess, UndefinedTensorUseIsAnError) {
  const Tensor t;
  EXPECT_FALSE(t.defined());
  EXPECT_THROW(t.shape(), Error);
  EXPECT_THROW_WITH(add(t, ones({1})), GraphError, "add", "undefined");
}

}  // namespace
}  // namespace dagrad::testing

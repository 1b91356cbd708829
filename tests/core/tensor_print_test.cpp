// operator<<: values, shape, dtype, autograd state; long tensors abbreviated with "...".
#include <sstream>

#include <gtest/gtest.h>

#include <dagrad/dagrad.hpp>

namespace dagrad::testing {
namespace {

std::string str(const Tensor& t) {
  std::ostringstream os;
  os << t;
  return os.str();
}

std::size_t count(const std::string& s, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = s.find(part); at != std::string::npos; at = s.find(part, at + 1)) ++n;
  return n;
}

TEST(TensorPrint, SmallMatrixExactly) {
  EXPECT_EQ(str(tensor({{1, 2}, {3, 4}})), "tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32)");
  EXPECT_EQ(str(tensor({{0.5, -1.25}, {1e-3, 100}}, DType::f64)),
            "tensor([[0.5, -1.25], [0.001, 100]], shape=[2,2], dtype=float64)");
}

TEST(TensorPrint, ScalarIntegerAndRequiresGrad) {
  EXPECT_EQ(str(scalar(2.5, DType::f64)), "tensor(2.5, shape=[], dtype=float64)");
  EXPECT_EQ(str(Tensor::from_values({2}, std::vector<std::int64_t>{3, -1})),
            "tensor([3, -1], shape=[2], dtype=int64)");
  EXPECT_EQ(str(ones({2}).set_requires_grad()),
            "tensor([1, 1], shape=[2], dtype=float32, requires_grad=true)");
  EXPECT_EQ(str(Tensor()), "tensor(undefined)");
}

TEST(TensorPrint, LongVectorIsAbbreviated) {
  EXPECT_EQ(str(arange(2000.0)),
            "tensor([0, 1, 2, ..., 1997, 1998, 1999], shape=[2000], dtype=float32)");
}

TEST(TensorPrint, LongMatrixIsAbbreviatedAlongEachAxis) {
  const std::string s = str(reshape(arange(2000.0), {40, 50}));
  EXPECT_EQ(s.rfind("tensor([[0, 1, 2, ..., 47, 48, 49], [50, 51, 52, ..., 97, 98, 99], ", 0), 0u)
      << s;
  EXPECT_NE(s.find("], ..., [1850, 1851, 1852, ..., 1897, 1898, 1899], "), std::string::npos) << s;
  EXPECT_NE(s.find("[1950, 1951, 1952, ..., 1997, 1998, 1999]], shape=[40,50], dtype=float32)"),
            std::string::npos)
      << s;
  EXPECT_EQ(count(s, "..."), 7u) << s;  // one per printed row, one between the rows
  EXPECT_LT(s.size(), 400u);
}

TEST(TensorPrint, AThousandElementsArePrintedInFull) {
  const std::string s = str(arange(1000.0));
  EXPECT_EQ(count(s, "..."), 0u);
  EXPECT_NE(s.find(", 500, "), std::string::npos);
}

TEST(TensorPrint, NonFiniteValues) {
  const std::string s = str(div(tensor({1.0, -1.0, 0.0}), zeros({3})));
  EXPECT_EQ(s, "tensor([inf, -inf, nan], shape=[3], dtype=float32)");
}

}  // namespace
}  // namespace dagrad::testing

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include <dagrad/core/error.hpp>
#include <dagrad/core/grad_mode.hpp>
#include <dagrad/core/node.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/init.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/sequential.hpp>
#include <dagrad/ops/ops.hpp>

using namespace dagrad;
using namespace dagrad::nn;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

std::vector<std::string> names(const Module& m) {
  std::vector<std::string> out;
  for (const NamedTensor& p : m.named_parameters()) out.push_back(p.name);
  return out;
}

// A module with its own parameter and a child, to check the collection order.
class Block : public Module {
 public:
  Block() : Module("block") {
    scale_ = register_parameter("scale", ones({1, 3}));
    inner_ = std::make_shared<Linear>(2, 3, 0, LinearOptions{.name = "inner"});
    register_module(inner_);
  }
  Tensor forward(const Tensor& x) override { return (*inner_)(x)*scale_; }
  std::string describe() const override { return "Block()"; }
  void add_param(const std::string& name) { register_parameter(name, zeros({1})); }
  void add_child(std::shared_ptr<Module> m) { register_module(std::move(m)); }

 private:
  Tensor scale_;
  std::shared_ptr<Linear> inner_;
};

}  // namespace

TEST(Module, LinearHasWeightAndBias) {
  Linear fc(4, 3);
  EXPECT_THAT(names(fc), ElementsAre("weight", "bias"));
  EXPECT_EQ(fc.weight().shape(), (Shape{4, 3}));
  EXPECT_EQ(fc.bias().shape(), (Shape{1, 3}));
  EXPECT_TRUE(fc.weight().requires_grad());
  EXPECT_TRUE(fc.bias().requires_grad());
  EXPECT_EQ(fc.parameter_count(), 15);
  EXPECT_EQ(fc.describe(), "Linear(4, 3)");
  Linear no_bias(4, 3, 0, LinearOptions{.bias = false});
  EXPECT_THAT(names(no_bias), ElementsAre("weight"));
  EXPECT_THROW(Linear(0, 3), ValueError);
}

TEST(Module, LinearComputesXWPlusB) {
  Linear fc(2, 3);
  // Set W and b to known values through the shared handles.
  const std::vector<float> w = {1, 2, 3, 4, 5, 6}, b = {0.5f, -1, 2};
  Tensor weight = fc.weight(), bias = fc.bias();
  std::copy(w.begin(), w.end(), weight.data<float>());
  std::copy(b.begin(), b.end(), bias.data<float>());
  const Tensor y = fc(tensor({{1.0, 2.0}, {-1.0, 0.0}}));
  ASSERT_EQ(y.shape(), (Shape{2, 3}));
  // [1,2]·W = [9,12,15] + b; [-1,0]·W = [-1,-2,-3] + b
  EXPECT_EQ(y.to_vector(), (std::vector<double>{9.5, 11, 17, -0.5, -3, -1}));
  EXPECT_THROW(fc(zeros({2, 5})), ShapeError);
}

TEST(Module, LinearGradientsReachParameters) {
  Linear fc(3, 2, 5);
  Tensor x = tensor({{1.0, 2.0, 3.0}, {0.5, -1.0, 2.0}});
  sum(fc(x)).backward();
  // d/dW Σ(XW + b) = Xᵀ·1 (column sums of X repeated), d/db = number of rows.
  EXPECT_EQ(fc.weight().grad().to_vector(), (std::vector<double>{1.5, 1.5, 1, 1, 5, 5}));
  EXPECT_EQ(fc.bias().grad().to_vector(), (std::vector<double>{2, 2}));
  fc.zero_grad();
  EXPECT_FALSE(fc.weight().grad().defined());
}

TEST(Module, SequentialNamesChildrenAndCollectsRecursively) {
  Sequential net;
  net.emplace<Linear>(784, 16, 1, LinearOptions{.name = "fc1"});
  net.emplace<ReLU>();
  net.add(std::make_shared<Block>());
  net.emplace<Linear>(3, 10, 2);  // unnamed: named by position
  EXPECT_EQ(net[1].name(), "1");
  EXPECT_EQ(net[3].name(), "3");
  EXPECT_THAT(names(net), ElementsAre("fc1.weight", "fc1.bias", "block.scale", "block.inner.weight",
                                      "block.inner.bias", "3.weight", "3.bias"));
  // Tensor display names carry the full path (DOT and error messages show them).
  EXPECT_EQ(net.named_parameters()[3].tensor.name(), "block.inner.weight");
  EXPECT_EQ(net.parameter_count(), 784 * 16 + 16 + 3 + 2 * 3 + 3 + 3 * 10 + 10);
  EXPECT_EQ(net.describe(), "Sequential(Linear(784, 16), ReLU(), Block(), Linear(3, 10))");
  // Handles are shared: parameters() gives the model's own tensors.
  EXPECT_EQ(net.parameters()[0].impl(), net.named_parameters()[0].tensor.impl());
}

TEST(Module, NestedSequentialPrefixes) {
  auto inner = std::make_shared<Sequential>(
      std::initializer_list<std::shared_ptr<Module>>{std::make_shared<Linear>(2, 2)}, "enc");
  Sequential outer({inner, std::make_shared<Linear>(2, 1, 0, LinearOptions{.name = "head"})});
  EXPECT_THAT(names(outer), ElementsAre("enc.0.weight", "enc.0.bias", "head.weight", "head.bias"));
  EXPECT_EQ(outer(ones({5, 2})).shape(), (Shape{5, 1}));
}

TEST(Module, DuplicateAndInvalidNamesAreRejected) {
  Sequential net;
  net.emplace<ReLU>("act");
  try {
    net.emplace<Tanh>("act");
    ADD_FAILURE();
  } catch (const ValueError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'act'"));
  }
  EXPECT_THROW(net.add(nullptr), ValueError);
  EXPECT_THROW(net.emplace<ReLU>("a.b"), ValueError);
  Block b;
  EXPECT_THROW(b.add_param("scale"), ValueError);
  EXPECT_THROW(b.add_param("inner"), ValueError);  // a child's name
  EXPECT_THROW(b.add_param("x.y"), ValueError);
  EXPECT_THROW(b.add_param(""), ValueError);
  EXPECT_THROW(b.add_child(std::make_shared<ReLU>("scale")), ValueError);
  EXPECT_THROW(net[5], ValueError);
}

TEST(Module, ForwardRecordsEachLayerInItsScope) {
  Sequential net;
  net.emplace<Linear>(2, 3, 0, LinearOptions{.name = "fc1"});
  net.emplace<Sigmoid>("act1");
  const Tensor y = net(ones({1, 2}));
  EXPECT_EQ(y.grad_fn()->scope, "act1");
  EXPECT_EQ(y.grad_fn()->inputs[0].grad_fn()->scope, "fc1");  // the add of X·W + b
}

TEST(Module, ActivationsMatchTheirOps) {
  const Tensor x = tensor({{-2.0, 0.0, 3.0}});
  EXPECT_EQ(ReLU()(x).to_vector(), relu(x).to_vector());
  EXPECT_EQ(Tanh()(x).to_vector(), dagrad::tanh(x).to_vector());
  EXPECT_EQ(Sigmoid()(x).to_vector(), sigmoid(x).to_vector());
  EXPECT_EQ(Softmax()(x).to_vector(), softmax(x).to_vector());
  EXPECT_EQ(make_activation("tanh")->describe(), "Tanh()");
  EXPECT_EQ(make_activation("softmax")->describe(), "Softmax(axis=-1)");
  EXPECT_THROW(make_activation("gelu"), ValueError);
  EXPECT_EQ(init_for_activation("relu"), Init::he_uniform);
  EXPECT_EQ(init_for_activation("tanh"), Init::xavier_uniform);
}

TEST(Init, SeededAndWithinBounds) {
  Generator g1(42), g2(42), g3(43);
  const Tensor a = init_weight({300, 200}, Init::xavier_uniform, g1);
  EXPECT_EQ(a.to_vector(), init_weight({300, 200}, Init::xavier_uniform, g2).to_vector());
  EXPECT_NE(a.to_vector(), init_weight({300, 200}, Init::xavier_uniform, g3).to_vector());
  const double bound = std::sqrt(6.0 / 500.0);
  double sum_sq = 0;
  for (double v : a.to_vector()) {
    EXPECT_LE(std::abs(v), bound);
    sum_sq += v * v;
  }
  // Variance of U(−a, a) is a²/3 = 2/(fan_in + fan_out).
  EXPECT_NEAR(sum_sq / a.numel(), 2.0 / 500.0, 0.05 * 2.0 / 500.0);
}

TEST(Init, VariancesMatchTheirFormulas) {
  Generator gen(7);
  const std::int64_t in = 400, out = 300;
  const std::vector<std::pair<Init, double>> cases = {
      {Init::xavier_uniform, 2.0 / (in + out)},
      {Init::xavier_normal, 2.0 / (in + out)},
      {Init::he_uniform, 2.0 / in},
      {Init::he_normal, 2.0 / in},
  };
  for (auto [init, variance] : cases) {
    SCOPED_TRACE(init_name(init));
    const Tensor w = init_weight({in, out}, init, gen, DType::f64);
    EXPECT_EQ(w.dtype(), DType::f64);
    double sum = 0, sum_sq = 0;
    for (double v : w.to_vector()) {
      sum += v;
      sum_sq += v * v;
    }
    const double n = static_cast<double>(w.numel());
    EXPECT_NEAR(sum / n, 0.0, 0.01 * std::sqrt(variance));
    EXPECT_NEAR(sum_sq / n, variance, 0.03 * variance);
    EXPECT_EQ(parse_init(init_name(init)), init);
  }
  EXPECT_THROW(init_weight({3}, Init::he_normal, gen), ShapeError);
  EXPECT_THROW(init_weight({3, 3}, Init::he_normal, gen, DType::i64), DTypeError);
  EXPECT_THROW(parse_init("orthogonal"), ValueError);
}

TEST(Init, LinearIsDeterministicPerSeed) {
  EXPECT_EQ(Linear(5, 4, 9).weight().to_vector(), Linear(5, 4, 9).weight().to_vector());
  EXPECT_NE(Linear(5, 4, 9).weight().to_vector(), Linear(5, 4, 10).weight().to_vector());
  EXPECT_EQ(Linear(5, 4, 9).bias().to_vector(), std::vector<double>(4, 0.0));
}

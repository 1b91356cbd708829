// Registering user ops while other threads look ops up and apply them: the registry's mutex
// must order every registration before any lookup that finds it, and the built-in ops keep
// working throughout.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/ops.hpp>

using namespace dagrad;

namespace {

constexpr int kOps = 32;

std::string op_name(int k) {
  return "threads_scale_" + std::to_string(k);
}

// out = k·x, d/dx = k·g.
OpDef scale_def(int k) {
  OpDef op;
  op.name = op_name(k);
  op.infer = [](std::span<const Tensor> in, const Attrs&) {
    return TensorMeta{in[0].shape(), in[0].dtype()};
  };
  op.forward = [k](std::span<const Tensor> in, const Attrs&) { return in[0] * double(k); };
  op.vjp = [k](const VjpArgs& a) { return std::vector<Tensor>{a.grad_output * double(k)}; };
  return op;
}

}  // namespace

TEST(ConcurrentRegistry, RegisterWhileOthersLookUpAndApply) {
  std::latch start(3);
  std::atomic<int> wrong{0};
  std::thread writer([&] {
    start.arrive_and_wait();
    for (int k = 0; k < kOps; ++k) registry().add(scale_def(k));
  });
  auto reader = [&](std::uint64_t seed) {
    start.arrive_and_wait();
    const Tensor x = randn({2, 3}, seed, DType::f64).set_requires_grad();
    for (int round = 0; round < 200; ++round) {
      for (int k = 0; k < kOps; ++k) {
        const OpDef* op = registry().find(op_name(k));
        if (!op) continue;  // not registered yet
        const Tensor out = sum(apply(*op, {x}));
        const Tensor g = grad(out, x);
        if (std::abs(out.item() - k * sum(x).item()) > 1e-9 || g.to_vector()[0] != k) ++wrong;
      }
      // Built-in ops by name, and the sorted listing, while the table grows.
      const Tensor y = apply("tanh", {apply("add", {x, x})});
      if (y.shape() != Shape{2, 3}) ++wrong;
      if (registry().all().empty()) ++wrong;
    }
  };
  std::thread r1(reader, 1), r2(reader, 2);
  writer.join();
  r1.join();
  r2.join();
  EXPECT_EQ(wrong.load(), 0);
  for (int k = 0; k < kOps; ++k) EXPECT_NE(registry().find(op_name(k)), nullptr) << op_name(k);
}

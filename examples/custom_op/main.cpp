// Registers two user-defined ops (softplus and swish, user_ops.hpp) through dagrad's public
// register_op, then uses them like built-ins: values, gradients from backward, lookup by name in
// the registry, and a small model trained with swish as its activation.
#include <cstdio>
#include <iostream>

#include <dagrad/dagrad.hpp>
#include <dagrad/nn/adam.hpp>
#include <dagrad/nn/linear.hpp>

#include "user_ops.hpp"

using namespace dagrad;

int main() {
  try {
    Tensor x = tensor({{-3.0, -0.5, 0.0, 0.5, 3.0}}).set_requires_grad().set_name("x");
    const Tensor y = user_ops::softplus(x);
    sum(y).backward();
    std::cout << "softplus(x)  = " << y << "\n";
    std::cout << "d/dx         = " << x.grad() << "   (= sigmoid(x))\n";

    x.zero_grad();
    const Tensor z = user_ops::swish(x);
    sum(z).backward();
    std::cout << "swish(x)     = " << z << "\n";
    std::cout << "d/dx         = " << x.grad() << "\n";

    // Registered ops are found by name, as the CLI's expression language finds them.
    const OpDef& found = registry().get("swish");
    std::cout << "registry: '" << found.name << "' computes " << found.doc << "\n";
    std::cout << "apply by name: " << apply("softplus", {tensor({1e4, -1e4})}) << "\n\n";

    // A 1-8-1 regression with swish: fit t = |u| on [−2, 2].
    Generator gen(3);
    nn::Linear fc1(1, 8, gen, {.name = "fc1"}), fc2(8, 1, gen, {.name = "fc2"});
    std::vector<Tensor> params = fc1.parameters();
    for (const Tensor& p : fc2.parameters()) params.push_back(p);
    nn::Adam opt(params, {.lr = 0.05});
    const Tensor u = reshape(arange(-2.0, 2.01, 0.25), {-1, 1});
    const Tensor t = sqrt(square(u));
    double loss_value = 0;
    for (int step = 0; step < 500; ++step) {
      opt.zero_grad();
      const Tensor loss = mse_loss(fc2(user_ops::swish(fc1(u))), t);
      loss.backward();
      opt.step();
      loss_value = loss.item();
      if (step % 100 == 0) std::printf("step %3d  loss %.5f\n", step, loss_value);
    }
    std::printf("final loss %.5f\n", loss_value);
    if (!(loss_value < 0.01)) {
      std::fprintf(stderr, "custom_op: the swish model did not fit |u| (loss %.4f)\n", loss_value);
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "custom_op: %s\n", e.what());
    return 1;
  }
}

// A 2-2-1 network learns XOR from scratch: tanh hidden layer, sigmoid output, mean squared
// error, plain full-batch gradient descent. Prints the four predictions and exits 1 unless each
// rounds to its target. A 2-2-1 network has local minima that some initialisations fall into
// (with these settings 7 of the seeds 0..39 do); the default seed learns XOR.
//
// Usage: xor [steps] [seed]   (defaults: 2000 steps, seed 1)
#include <cmath>
#include <cstdio>
#include <string>

#include <dagrad/dagrad.hpp>
#include <dagrad/nn/activation.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/sequential.hpp>
#include <dagrad/nn/sgd.hpp>

using namespace dagrad;
using namespace dagrad::nn;

int main(int argc, char** argv) {
  try {
    const int steps = argc > 1 ? std::stoi(argv[1]) : 2000;
    const std::uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 1;

    const Tensor x = tensor({{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}});
    const Tensor y = tensor({{0.0}, {1.0}, {1.0}, {0.0}});

    Generator gen(seed);
    Sequential net;
    net.emplace<Linear>(2, 2, gen, LinearOptions{.init = Init::xavier_normal, .name = "hidden"});
    net.emplace<Tanh>("tanh");
    net.emplace<Linear>(2, 1, gen, LinearOptions{.init = Init::xavier_normal, .name = "out"});
    net.emplace<Sigmoid>("sigmoid");
    SGD opt(net.parameters(), {.lr = 0.5, .momentum = 0.9});

    for (int step = 1; step <= steps; ++step) {
      opt.zero_grad();
      const Tensor loss = mse_loss(net(x), y);
      loss.backward();
      opt.step();
      if (step == 1 || step % 500 == 0) std::printf("step %5d  loss %.6f\n", step, loss.item());
    }

    NoGradGuard no_grad;
    const Tensor pred = net(x);
    bool ok = true;
    for (std::int64_t i = 0; i < 4; ++i) {
      const double p = pred.at({i, 0}), want = y.at({i, 0});
      const bool right = std::lround(p) == std::lround(want);
      ok = ok && right;
      std::printf("%g XOR %g = %.4f  (target %g)%s\n", x.at({i, 0}), x.at({i, 1}), p, want,
                  right ? "" : "  WRONG");
    }
    if (!ok) {
      std::fprintf(stderr, "xor: the network did not learn XOR in %d steps\n", steps);
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xor: %s\n", e.what());
    return 1;
  }
}

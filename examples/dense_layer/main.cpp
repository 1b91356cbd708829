// The seed's dense layer, O = σ(X·W + b), for one input row: prints O, the gradients of a loss
// with respect to X, W and b from the engine's backward pass, and the softmax Jacobian of O.
// It then checks the gradients against their closed form and exits 1 if they disagree.
//
// Shapes: X [1,3], W [3,4], b [1,4], O [1,4]; loss L = mean((O − T)²) for a target T.
#include <cmath>
#include <cstdio>
#include <iostream>

#include <dagrad/dagrad.hpp>

using namespace dagrad;

namespace {

double max_abs_diff(const Tensor& a, const Tensor& b) {
  double worst = 0;
  const auto va = a.to_vector(), vb = b.to_vector();
  for (std::size_t i = 0; i < va.size(); ++i) worst = std::max(worst, std::abs(va[i] - vb[i]));
  return worst;
}

}  // namespace

int main() {
  try {
    Tensor x = tensor({{0.5, -1.0, 2.0}}).set_requires_grad().set_name("X");
    Tensor w = tensor({{0.1, -0.2, 0.3, 0.4}, {0.5, 0.6, -0.7, 0.8}, {-0.9, 1.0, 0.2, -0.1}})
                   .set_requires_grad()
                   .set_name("W");
    Tensor b = tensor({{0.01, 0.02, -0.03, 0.04}}).set_requires_grad().set_name("b");
    const Tensor target = tensor({{0.0, 1.0, 0.0, 1.0}}).set_name("T");

    const Tensor o = sigmoid(matmul(x, w) + b);
    const Tensor loss = mse_loss(o, target);
    loss.backward();

    std::cout << "O = sigmoid(X·W + b)\n" << o << "\n\n";
    std::cout << "L = mean((O - T)^2) = " << loss.item() << "\n\n";
    std::cout << "dL/dX\n" << x.grad() << "\n\n";
    std::cout << "dL/dW\n" << w.grad() << "\n\n";
    std::cout << "dL/db\n" << b.grad() << "\n\n";
    // J[i][j] = ∂S_i/∂O_j = S_i(δ_ij − S_j), S = softmax(O).
    std::cout << "softmax Jacobian of O, J[i][j] = S_i(delta_ij - S_j)\n"
              << softmax_jacobian(o) << "\n\n";

    // Closed form: δ = (2/n)(O − T) ⊙ O ⊙ (1 − O); dL/db = δ, dL/dW = Xᵀδ, dL/dX = δWᵀ.
    NoGradGuard no_grad;
    const Tensor delta = (2.0 / static_cast<double>(o.numel())) * (o - target) * o * (1.0 - o);
    const double err = std::max({max_abs_diff(b.grad(), delta),
                                 max_abs_diff(w.grad(), matmul(x, delta, true, false)),
                                 max_abs_diff(x.grad(), matmul(delta, w, false, true))});
    std::printf("closed-form check: max |backward - formula| = %.3g\n", err);
    if (!(err < 1e-6)) {
      std::fprintf(stderr, "dense_layer: backward disagrees with the closed form\n");
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dense_layer: %s\n", e.what());
    return 1;
  }
}

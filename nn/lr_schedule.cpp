#include <dagrad/nn/lr_schedule.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dagrad::nn {

double cosine_lr(double base_lr, double final_lr, std::int64_t step, std::int64_t total) {
  if (total <= 0) return base_lr;
  const double t = static_cast<double>(std::clamp<std::int64_t>(step, 0, total));
  return final_lr + (base_lr - final_lr) * 0.5 *
                        (1 + std::cos(std::numbers::pi * t / static_cast<double>(total)));
}

}  // namespace dagrad::nn

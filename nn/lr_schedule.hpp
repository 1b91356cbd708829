// Learning-rate schedules, as functions of the step: the caller sets optimizer.set_lr(...).
#pragma once

#include <cstdint>

namespace dagrad::nn {

// Cosine annealing (Loshchilov & Hutter 2017) from base_lr at step 0 to final_lr at step total:
//   lr(t) = final + (base − final) · (1 + cos(π · t / total)) / 2,  t clamped to [0, total].
// total ≤ 0 gives base_lr.
double cosine_lr(double base_lr, double final_lr, std::int64_t step, std::int64_t total);

}  // namespace dagrad::nn

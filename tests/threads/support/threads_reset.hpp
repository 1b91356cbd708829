// Restores dagrad's default thread count when a test that changed it ends.
#pragma once

#include <dagrad/core/threads.hpp>

namespace dagrad::testing {

struct ThreadsReset {
  ~ThreadsReset() { set_num_threads(0); }
};

}  // namespace dagrad::testing

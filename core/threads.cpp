#include <dagrad/core/threads.hpp>

#include <atomic>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

#include <dagrad/core/error.hpp>

namespace dagrad {

namespace {

// 0: OpenMP's own default. Read by every kernel, set rarely: relaxed is enough.
std::atomic<int> g_threads{0};

#ifdef _OPENMP
// The process's default, read once before anyone changed this thread's setting.
int default_threads() {
  static const int n = omp_get_max_threads();
  return n;
}
#endif

}  // namespace

void set_num_threads(int n) {
  if (n < 0)
    throw ValueError("set_num_threads: expected 0 (default) or more, got " + std::to_string(n));
#ifdef _OPENMP
  default_threads();
#endif
  g_threads.store(n, std::memory_order_relaxed);
}

int num_threads() {
  const int n = g_threads.load(std::memory_order_relaxed);
#ifdef _OPENMP
  return n > 0 ? n : default_threads();
#else
  (void)n;
  return 1;
#endif
}

bool parallel_kernels_available() {
#ifdef _OPENMP
  return true;
#else
  return false;
#endif
}

// Eigen asks OpenMP how many threads it may use (omp_get_max_threads, a per-thread setting)
// unless someone called Eigen::setNbThreads, and so does OpenBLAS's OpenMP build; so the count is
// set here, per call and per calling thread, which keeps concurrent callers independent.
KernelThreadsScope::KernelThreadsScope([[maybe_unused]] int threads) {
#ifdef _OPENMP
  default_threads();  // read the process's default before this scope changes it
  previous_ = omp_get_max_threads();
  if (threads != previous_) omp_set_num_threads(threads);
#endif
}

KernelThreadsScope::~KernelThreadsScope() {
#ifdef _OPENMP
  if (omp_get_max_threads() != previous_) omp_set_num_threads(previous_);
#endif
}

}  // namespace dagrad

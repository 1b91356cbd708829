// A progress line for one epoch on stderr: batches done, running loss, samples/s and ETA.
// On a terminal it redraws in place at most a few times a second; otherwise (a pipe, a log
// file, ctest) it prints a plain line every few seconds instead, so logs stay readable.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace fashion_mnist {

class ProgressBar {
 public:
  // title: e.g. "epoch 3/20"; total: batches in the epoch.
  ProgressBar(std::string title, std::int64_t total, std::FILE* out = stderr);
  ~ProgressBar();  // clears the line on a terminal
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // After each batch: batches done so far, mean loss so far, samples seen so far.
  void update(std::int64_t done, double running_loss, std::int64_t samples);

 private:
  void draw(std::int64_t done, double running_loss, double rate);

  std::string title_;
  std::int64_t total_;
  std::FILE* out_;
  bool tty_;
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace fashion_mnist

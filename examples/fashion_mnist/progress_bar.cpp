#include "progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace fashion_mnist {

namespace {
// Redrawing more often than this costs time and flickers without telling the reader more.
constexpr auto kTtyInterval = std::chrono::milliseconds(200);
constexpr auto kPlainInterval = std::chrono::seconds(5);
constexpr int kWidth = 24;
}  // namespace

ProgressBar::ProgressBar(std::string title, std::int64_t total, std::FILE* out)
    : title_(std::move(title)),
      total_(std::max<std::int64_t>(total, 1)),
      out_(out),
      tty_(isatty(fileno(out)) != 0),
      start_(Clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (tty_ && drawn_) {
    std::fputs("\r\x1b[K", out_);  // erase the bar: the epoch's summary line replaces it
    std::fflush(out_);
  }
}

void ProgressBar::update(std::int64_t done, double running_loss, std::int64_t samples) {
  const auto now = Clock::now();
  if (now - last_draw_ < (tty_ ? kTtyInterval : kPlainInterval) && done < total_) return;
  if (!tty_ && done >= total_) return;  // the epoch line that follows says the rest
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  draw(done, running_loss, elapsed > 0 ? static_cast<double>(samples) / elapsed : 0.0);
}

void ProgressBar::draw(std::int64_t done, double running_loss, double rate) {
  const double frac = static_cast<double>(done) / static_cast<double>(total_);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0.0;
  if (tty_) {
    const int filled = static_cast<int>(std::lround(frac * kWidth));
    std::string bar(static_cast<std::size_t>(filled), '=');
    if (filled < kWidth)
      bar += '>' + std::string(static_cast<std::size_t>(kWidth - filled - 1), ' ');
    std::fprintf(out_, "\r%s [%s] %lld/%lld  loss %.4f  %.0f samples/s  ETA %.0fs\x1b[K",
                 title_.c_str(), bar.c_str(), static_cast<long long>(done),
                 static_cast<long long>(total_), running_loss, rate, eta);
  } else {
    std::fprintf(out_, "%s: %lld/%lld batches  loss %.4f  %.0f samples/s  ETA %.0fs\n",
                 title_.c_str(), static_cast<long long>(done), static_cast<long long>(total_),
                 running_loss, rate, eta);
  }
  std::fflush(out_);
  drawn_ = true;
}

}  // namespace fashion_mnist

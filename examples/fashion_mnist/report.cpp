#include "report.hpp"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <dagrad/core/error.hpp>
#include <dagrad/core/export.hpp>

extern char** environ;

namespace fashion_mnist {

namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw dagrad::IoError("cannot write " + path.string());
}

// gnuplot's string syntax: single quotes, a quote doubled.
std::string gp_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

}  // namespace

void write_json(const fs::path& path, const nlohmann::json& metrics) {
  write_text(path, metrics.dump(2) + "\n");
}

void plot_training(const fs::path& out, const std::vector<EpochRecord>& history,
                   const std::string& title) {
  const fs::path data = out / "training.dat", script = out / "training.gp",
                 svg = out / "training.svg";
  std::string rows = "# epoch train_loss test_accuracy_percent\n";
  for (const EpochRecord& e : history) {
    char line[96];
    std::snprintf(line, sizeof line, "%d %.6f %.4f\n", e.epoch, e.train_loss,
                  100 * e.test_accuracy);
    rows += line;
  }
  write_text(data, rows);
  write_text(script,
             "set terminal svg size 800,480 dynamic enhanced font 'sans,12'\n"
             "set output " +
                 gp_quote(svg.string()) +
                 "\n"
                 "set title " +
                 gp_quote(title) +
                 " noenhanced\n"
                 "set xlabel 'epoch'\n"
                 "set ylabel 'train loss (cross-entropy)'\n"
                 "set y2label 'test accuracy (%)'\n"
                 "set ytics nomirror\nset y2tics\nset grid\nset key center right\n"
                 "set xtics 1\n" +
                 std::string(history.size() > 20 ? "set xtics autofreq\n" : "") + "plot " +
                 gp_quote(data.string()) +
                 " using 1:2 with linespoints lw 2 title 'train loss' axes x1y1, \\\n"
                 "     '' using 1:3 with linespoints lw 2 title 'test accuracy' axes x1y2\n");

  std::error_code ec;
  fs::remove(svg, ec);  // a plot left by an earlier run must not pass for this one's
  // Run directly, not through a shell: no quoting of paths, and no shell to be found.
  const std::string script_arg = script.string();
  char* argv[] = {const_cast<char*>("gnuplot"), const_cast<char*>(script_arg.c_str()), nullptr};
  pid_t pid = 0;
  const int err = posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv, environ);
  if (err != 0)
    throw dagrad::IoError("cannot run gnuplot (" + std::string(std::strerror(err)) + ") to draw " +
                          svg.string() +
                          ": install gnuplot-nox (tools/setup.sh) and run: gnuplot " + script_arg);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw dagrad::IoError("gnuplot failed on " + script_arg + " (" +
                          (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                             : std::string("killed by a signal")) +
                          "); no plot drawn at " + svg.string());
  // A gnuplot that exits 0 without drawing (e.g. no svg terminal) is a failure too.
  if (fs::file_size(svg, ec) == 0 || ec)
    throw dagrad::IoError("gnuplot ran on " + script_arg + " but drew nothing at " + svg.string());
}

void export_step_graph(const fs::path& out, const dagrad::Tensor& loss, const std::string& title) {
  dagrad::ExportOptions opt;
  opt.title = title;
  write_text(out / "step_graph.dot", dagrad::to_dot(loss, opt));
  dagrad::render(loss, (out / "step_graph.svg").string(), opt);
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace fashion_mnist

// What a training run leaves in its output directory besides the weights: metrics.json, the
// loss/accuracy plot (drawn by gnuplot), and the graph of one training step.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dagrad/core/tensor.hpp>

namespace fashion_mnist {

struct EpochRecord {
  int epoch = 0;
  double train_loss = 0;
  double test_accuracy = 0;  // fraction in [0, 1]
  double seconds = 0;        // training + evaluation of this epoch
};

// Writes `metrics` (pretty-printed, keys sorted) to path. IoError when it cannot be written.
void write_json(const std::filesystem::path& path, const nlohmann::json& metrics);

// Writes <out>/training.dat and <out>/training.gp and runs gnuplot on them to draw
// <out>/training.svg (train loss and test accuracy per epoch). The plot is a promised output:
// IoError when the data files cannot be written, when gnuplot is not installed (naming the
// package and the command that draws it from the files left behind), when it fails, or when it
// leaves no plot.
void plot_training(const std::filesystem::path& out, const std::vector<EpochRecord>& history,
                   const std::string& title);

// Writes the graph that produced `loss` as <out>/step_graph.dot and renders
// <out>/step_graph.svg. Errors from the exporter propagate.
void export_step_graph(const std::filesystem::path& out, const dagrad::Tensor& loss,
                       const std::string& title);

// The process's peak resident set size so far, in MiB.
double peak_rss_mib();

}  // namespace fashion_mnist

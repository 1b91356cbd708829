// Trains an MLP on Fashion-MNIST with dagrad and evaluates it on the 10,000 test images after
// every epoch; writes the weights, metrics.json, a loss/accuracy plot and the graph of one
// training step into --out. With --evaluate WEIGHTS it only prints the test accuracy of saved
// weights, rebuilding the model from the architecture and input scaling the weights file
// records (flags that contradict them are refused).
//
// Default recipe (measured in the README): 784-256-10, ReLU, Adam lr 1e-3 with cosine decay,
// batch 128, standardised inputs.
#include <CLI/CLI.hpp>
#include <Eigen/Core>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>

#include <dagrad/core/error.hpp>
#include <dagrad/core/threads.hpp>
#include <dagrad/nn/batches.hpp>
#include <dagrad/nn/dataset.hpp>
#include <dagrad/nn/lr_schedule.hpp>
#include <dagrad/nn/serialize.hpp>
#include <dagrad/ops/cross_entropy.hpp>

#include "model.hpp"
#include "report.hpp"
#include "train.hpp"

namespace {

using namespace dagrad;
using namespace fashion_mnist;
namespace fs = std::filesystem;

// A flag that contradicts another flag or the weights file: exit code 2, like CLI11's own.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Options {
  int epochs = 20;
  std::int64_t batch = 128;
  std::optional<double> lr;  // default depends on the optimiser
  std::string optimizer = "adam";
  double momentum = 0.9;
  std::string schedule = "cosine";
  std::vector<std::int64_t> hidden{256};
  std::string activation = "relu";
  int threads = 0;  // 0: the default (OMP_NUM_THREADS, else every core)
  std::uint64_t seed = 0;
  std::string data_dir = nn::default_fashion_mnist_dir();
  std::string out = "runs/fashion_mnist";
  std::string evaluate;
  std::int64_t limit = -1;
  // Given on the command line (not defaults): --evaluate checks them against the file.
  bool hidden_given = false;
  bool activation_given = false;
};

void add_flags(CLI::App& app, Options& o) {
  std::vector<CLI::Option*> training_only;
  training_only.push_back(app.add_option("--epochs", o.epochs, "passes over the training set")
                              ->capture_default_str()
                              ->check(CLI::Range(1, 100000)));
  training_only.push_back(app.add_option("--batch", o.batch, "mini-batch size")
                              ->capture_default_str()
                              ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20)));
  training_only.push_back(
      app.add_option("--lr", o.lr, "learning rate [default: 1e-3 for adam, 0.05 for sgd]")
          ->check(CLI::PositiveNumber));
  training_only.push_back(
      app.add_option("--optimizer", o.optimizer, "sgd (with --momentum) or adam")
          ->capture_default_str()
          ->check(CLI::IsMember({"sgd", "adam"})));
  training_only.push_back(app.add_option("--momentum", o.momentum, "SGD momentum")
                              ->capture_default_str()
                              ->check(CLI::Range(0.0, 0.999)));
  training_only.push_back(
      app.add_option("--schedule", o.schedule,
                     "learning rate: cosine (decays to 0 over the run) or constant")
          ->capture_default_str()
          ->check(CLI::IsMember({"cosine", "constant"})));
  app.add_option("--hidden", o.hidden, "hidden layer sizes, comma-separated (e.g. 256,128)")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 16));
  app.add_option("--activation", o.activation, "hidden activation: relu, sigmoid or tanh")
      ->capture_default_str()
      ->check(CLI::IsMember({"relu", "sigmoid", "tanh"}));
  app.add_option("--threads", o.threads,
                 "threads for large matrix products (0: OMP_NUM_THREADS, else every core)")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  training_only.push_back(app.add_option("--seed", o.seed, "seed for the weights and the shuffling")
                              ->capture_default_str());
  app.add_option("--data-dir", o.data_dir, "directory of the Fashion-MNIST IDX files")
      ->capture_default_str();
  training_only.push_back(
      app.add_option("--out", o.out, "output directory")->capture_default_str());
  CLI::Option* evaluate =
      app.add_option("--evaluate", o.evaluate,
                     "only load these weights and print the test accuracy (the model is rebuilt "
                     "from the architecture the file records)");
  // Training flags would be silently ignored by --evaluate: refuse them instead.
  for (CLI::Option* t : training_only) evaluate->excludes(t);
  app.add_option("--limit", o.limit,
                 "use only the first N training and test images (quick runs and tests)")
      ->check(CLI::PositiveNumber);
}

MlpSpec spec_of(const Options& o) {
  MlpSpec s;
  s.hidden = o.hidden;
  s.activation = o.activation;
  return s;
}

void set_threads(int n) {
  dagrad::set_num_threads(n);  // 0: the default (OMP_NUM_THREADS, else every core)
  if (n > 1 && !dagrad::parallel_kernels_available())
    std::fprintf(stderr,
                 "warning: --threads %d: this build of dagrad runs its kernels on one "
                 "thread (built without OpenMP)\n",
                 n);
}

// The training set's pixel statistics standardise both sets. Training records them in the
// weights file for --evaluate; only a file without them (version 1) needs them recomputed.
nn::PixelScaling scaling_from(const Options& o) {
  nn::ImageDataset train = nn::load_fashion_mnist(o.data_dir, nn::Split::train);
  nn::keep_first(train, o.limit);
  return nn::PixelScaling::standardize(train);
}

// Note [Weights record the model]
// Files saved by training record the architecture and the input scaling in their metadata
// (model_metadata), so --evaluate rebuilds exactly the trained model: a different activation or
// scaling keeps every shape and would load fine, then print a wrong accuracy. --hidden and
// --activation are then only checked against the file. Files without that metadata (format
// version 1) still load, from the flags and the training set's statistics, with a warning.
int evaluate_only(const Options& o) {
  const nn::WeightsFile file = nn::load_weights(o.evaluate);
  const std::optional<SavedModel> saved = saved_model(file.metadata, o.evaluate);
  SavedModel m;
  if (saved) {
    m = *saved;
    const std::string recorded =
        "--hidden " + hidden_flag(m.spec.hidden) + " --activation " + m.spec.activation;
    const auto refuse = [&](const std::string& flag) {
      throw UsageError("--evaluate: " + o.evaluate + " records a model trained with " + recorded +
                       "; " + flag +
                       " contradicts it (leave it out: the model is rebuilt from the file)");
    };
    if (o.hidden_given && o.hidden != m.spec.hidden) refuse("--hidden " + hidden_flag(o.hidden));
    if (o.activation_given && o.activation != m.spec.activation)
      refuse("--activation " + o.activation);
  } else {
    m.spec = spec_of(o);
    m.scaling = scaling_from(o);
    std::fprintf(stderr,
                 "warning: %s does not record its model (weights format version %u, or not "
                 "saved by fashion_mnist): evaluating it as --hidden %s --activation %s with the "
                 "inputs standardised by the training set%s\n",
                 o.evaluate.c_str(), static_cast<unsigned>(file.version),
                 hidden_flag(m.spec.hidden).c_str(), m.spec.activation.c_str(),
                 o.limit > 0 ? " (as limited by --limit)" : "");
  }
  nn::ImageDataset test = nn::load_fashion_mnist(o.data_dir, nn::Split::test);
  nn::keep_first(test, o.limit);
  auto model = make_mlp(m.spec, /*seed=*/0);  // every value is overwritten by the load
  try {
    nn::load_parameters(*model, o.evaluate);
  } catch (const IoError& e) {
    if (saved) throw;
    throw IoError(std::string(e.what()) +
                  " (pass the --hidden and --activation the weights were trained with)");
  }
  const double acc = evaluate(*model, test, m.scaling);
  std::printf("test accuracy: %.2f%% (%lld images, %s)\n", 100 * acc,
              static_cast<long long>(test.count), o.evaluate.c_str());
  return 0;
}

int train(const Options& o) {
  const auto t0 = std::chrono::steady_clock::now();
  nn::ImageDataset train_set = nn::load_fashion_mnist(o.data_dir, nn::Split::train);
  nn::ImageDataset test_set = nn::load_fashion_mnist(o.data_dir, nn::Split::test);
  nn::keep_first(train_set, o.limit);
  nn::keep_first(test_set, o.limit);
  const nn::PixelScaling scaling = nn::PixelScaling::standardize(train_set);
  fs::create_directories(o.out);

  const MlpSpec spec = spec_of(o);
  auto model = make_mlp(spec, o.seed);
  const double lr = o.lr.value_or(o.optimizer == "adam" ? 1e-3 : 0.05);
  auto optimizer = make_optimizer(o.optimizer, *model, lr, o.momentum);
  nn::BatchLoader loader(train_set, o.batch, scaling, /*shuffle=*/true, o.seed);
  const std::int64_t total_steps = loader.batches_per_epoch() * o.epochs;
  std::function<double(std::int64_t)> lr_at;
  if (o.schedule == "cosine")
    lr_at = [&](std::int64_t step) { return nn::cosine_lr(lr, 0.0, step, total_steps); };

  const std::string run = describe_sizes(spec) + " " + o.activation + ", " + o.optimizer + " lr " +
                          CLI::detail::to_string(lr) + " (" + o.schedule + "), batch " +
                          std::to_string(o.batch);
  std::printf("dagrad fashion_mnist: %s; %lld training / %lld test images; %lld parameters\n",
              run.c_str(), static_cast<long long>(train_set.count),
              static_cast<long long>(test_set.count),
              static_cast<long long>(model->parameter_count()));
  std::fflush(stdout);

  std::vector<EpochRecord> history;
  double train_seconds = 0;
  std::int64_t samples = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto e0 = std::chrono::steady_clock::now();
    const std::string title = "epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs);
    const EpochResult r = train_epoch(*model, loader, *optimizer,
                                      (epoch - 1) * loader.batches_per_epoch(), lr_at, title);
    const double acc = evaluate(*model, test_set, scaling);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
    train_seconds += r.seconds;
    samples += r.samples;
    history.push_back({epoch, r.train_loss, acc, secs});
    std::printf("epoch %2d/%d  train loss %.4f  test accuracy %.2f%%  %.1f s\n", epoch, o.epochs,
                r.train_loss, 100 * acc, secs);
    std::fflush(stdout);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double rate = train_seconds > 0 ? static_cast<double>(samples) / train_seconds : 0.0;
  const double final_acc = history.back().test_accuracy;

  const fs::path out(o.out);
  // See Note [Weights record the model].
  nn::save_parameters(*model, (out / "weights.bin").string(), model_metadata({spec, scaling}));

  // The graph of one training step (forward and loss) on a batch of the real size, after its
  // backward pass, so the parameters' tooltips show this step's gradients.
  nn::BatchLoader first(train_set, o.batch, scaling, /*shuffle=*/false);
  nn::Batch batch;
  first.next(batch);
  batch.x.set_name("images");
  batch.y.set_name("labels");
  model->zero_grad();
  const Tensor loss = cross_entropy((*model)(batch.x), batch.y);
  loss.backward(Tensor(), /*retain_graph=*/true);
  export_step_graph(out, loss, "one training step: " + run);

  nlohmann::json history_json = nlohmann::json::array();
  for (const EpochRecord& e : history)
    history_json.push_back({{"epoch", e.epoch},
                            {"train_loss", e.train_loss},
                            {"test_accuracy", e.test_accuracy},
                            {"seconds", e.seconds}});
  write_json(out / "metrics.json", {{"test_accuracy", final_acc},
                                    {"epochs", o.epochs},
                                    {"seconds", seconds},
                                    {"train_seconds", train_seconds},
                                    {"samples_per_second", rate},
                                    {"peak_rss_mib", peak_rss_mib()},
                                    {"model", describe_sizes(spec)},
                                    {"activation", o.activation},
                                    {"optimizer", o.optimizer},
                                    {"lr", lr},
                                    {"schedule", o.schedule},
                                    {"batch", o.batch},
                                    {"seed", o.seed},
                                    {"train_images", train_set.count},
                                    {"test_images", test_set.count},
                                    {"history", history_json}});
  // Last, so that a run whose plot cannot be drawn still leaves its results; the plot is a
  // promised output, so that run fails (IoError).
  plot_training(out, history, "Fashion-MNIST, " + run);

  std::printf(
      "test accuracy: %.2f%% after %d epoch%s in %.1f s (%.0f samples/s, peak RSS %.0f MiB)\n",
      100 * final_acc, o.epochs, o.epochs == 1 ? "" : "s", seconds, rate, peak_rss_mib());
  std::printf("wrote %s: weights.bin, metrics.json, step_graph.dot, step_graph.svg, training.svg\n",
              o.out.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train an MLP on Fashion-MNIST with dagrad (or evaluate saved weights)."};
  Options o;
  add_flags(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  o.hidden_given = app.count("--hidden") > 0;
  o.activation_given = app.count("--activation") > 0;
  try {
    set_threads(o.threads);
    return o.evaluate.empty() ? train(o) : evaluate_only(o);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "fashion_mnist: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fashion_mnist: %s\n", e.what());
    return 1;
  }
}

// The example run end to end with small settings: every promised output is there and well
// formed, --evaluate rebuilds the model from the weights file and prints the accuracy the run
// measured, refuses flags that contradict the file, still reads version 1 weights, and a plot
// gnuplot cannot draw fails the run. Skipped when Debian's dataset-fashion-mnist is absent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dagrad/nn/serialize.hpp>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kData = FASHION_MNIST_DATA_DIR;
const fs::path kWork = FASHION_MNIST_TEST_DIR;  // one subdirectory per test

struct Result {
  int code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs the example with args (and `env`, e.g. "PATH=/x", in front), capturing both streams.
Result run(const fs::path& dir, const std::vector<std::string>& args, const std::string& env = "") {
  std::string cmd = env.empty() ? "" : env + " ";
  cmd += quote(FASHION_MNIST_EXE);
  for (const std::string& a : args) cmd += " " + quote(a);
  const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  cmd += " >" + quote(out.string()) + " 2>" + quote(err.string());
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

// "test accuracy: 81.25%" → 81.25 (-1 when absent).
double printed_accuracy(const std::string& text) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex("test accuracy: ([0-9.]+)%"))) return -1;
  return std::stod(m[1]);
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", 100 * fraction);
  return buf;
}

class FashionMnistRun : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kData / "train-images-idx3-ubyte.gz") ||
        !fs::exists(kData / "t10k-images-idx3-ubyte.gz"))
      GTEST_SKIP() << kData << " is absent (Debian's dataset-fashion-mnist; tools/setup.sh)";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = kWork / info->name();
    fs::remove_all(dir_);  // nothing an earlier run left may pass for this one's output
    fs::create_directories(dir_);
  }
  fs::path out() const { return dir_ / "out"; }
  fs::path weights() const { return out() / "weights.bin"; }

  // Trains with `args` (small settings) into out() and checks every promised output.
  nlohmann::json train(std::vector<std::string> args, int epochs, double min_accuracy = 0.5) {
    args.insert(args.end(), {"--epochs", std::to_string(epochs), "--limit", "2000", "--data-dir",
                             kData.string(), "--out", out().string(), "--threads", "1"});
    const Result r = run(dir_, args);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    const std::string n = std::to_string(epochs);
    EXPECT_THAT(r.out, HasSubstr(n + "/" + n + "  train loss"));

    EXPECT_GT(fs::file_size(weights()), 28u);
    const std::string dot = slurp(out() / "step_graph.dot");
    EXPECT_EQ(dot.rfind("digraph", 0), 0u) << dot.substr(0, 80);
    EXPECT_THAT(dot, HasSubstr("cross_entropy"));
    EXPECT_THAT(dot, HasSubstr("matmul"));
    for (const char* svg : {"step_graph.svg", "training.svg"}) {
      const std::string text = slurp(out() / svg);
      EXPECT_THAT(text, HasSubstr("<svg")) << svg;
      EXPECT_THAT(text, HasSubstr("</svg>")) << svg;
    }

    nlohmann::json m;
    try {
      m = nlohmann::json::parse(slurp(out() / "metrics.json"));
    } catch (const nlohmann::json::exception& e) {
      ADD_FAILURE() << "metrics.json: " << e.what();
      return m;
    }
    for (const char* key : {"test_accuracy", "epochs", "seconds", "samples_per_second"})
      EXPECT_TRUE(m.contains(key) && m[key].is_number()) << key << " in " << m.dump();
    if (!m.contains("test_accuracy")) return m;
    EXPECT_EQ(m["epochs"], epochs);
    EXPECT_GT(m["seconds"].get<double>(), 0);
    EXPECT_GT(m["samples_per_second"].get<double>(), 0);
    const double acc = m["test_accuracy"].get<double>();
    // Two epochs on 2,000 images learn far past chance (10%), whatever the recipe.
    EXPECT_GT(acc, min_accuracy);
    EXPECT_LE(acc, 1.0);
    EXPECT_EQ(m["history"].size(), static_cast<std::size_t>(epochs));
    EXPECT_EQ(percent(acc), percent(printed_accuracy(r.out) / 100)) << r.out;
    return m;
  }

  // --evaluate on the run's weights and the first 2,000 test images, as in training.
  Result evaluate(std::vector<std::string> extra = {}, const fs::path& file = {}) {
    std::vector<std::string> args = {"--evaluate", (file.empty() ? weights() : file).string(),
                                     "--limit",    "2000",
                                     "--data-dir", kData.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(dir_, args);
  }

  void expect_same_accuracy(const Result& r, const nlohmann::json& metrics) {
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_THAT(
        r.out, HasSubstr("test accuracy: " + percent(metrics["test_accuracy"].get<double>()) + "%"))
        << r.out;
  }

  fs::path dir_;
};

TEST_F(FashionMnistRun, DefaultRecipeWritesEveryOutputAndEvaluateAgrees) {
  const nlohmann::json m = train({}, 2);
  expect_same_accuracy(evaluate(), m);  // no --hidden or --activation: the file says
  expect_same_accuracy(evaluate({"--hidden", "256", "--activation", "relu"}), m);  // agreeing
  const auto meta = dagrad::nn::load_weights(weights().string()).metadata;
  EXPECT_EQ(meta.at("model.hidden"), "256");
  EXPECT_EQ(meta.at("model.activation"), "relu");
}

TEST_F(FashionMnistRun, SgdTanh3216AndContradictingFlagsAreRefused) {
  const nlohmann::json m =
      train({"--optimizer", "sgd", "--activation", "tanh", "--hidden", "32,16"}, 2);
  EXPECT_EQ(m["model"], "784-32-16-10");
  expect_same_accuracy(evaluate(), m);

  // Same shapes, other activation: the case that used to print a wrong accuracy.
  Result r = evaluate({"--activation", "relu"});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("--hidden 32,16 --activation tanh"));
  EXPECT_THAT(r.err, HasSubstr("--activation relu contradicts it"));
  EXPECT_EQ(printed_accuracy(r.out), -1);
  r = evaluate({"--hidden", "32"});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("--hidden 32 contradicts it"));
  // Training flags mean nothing to --evaluate.
  r = evaluate({"--epochs", "3"});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("--epochs"));
}

// Rewrites a version 2 weights file as version 1 (no metadata section), as saved before.
void write_version_1(const fs::path& from, const fs::path& to) {
  const dagrad::nn::WeightsFile f = dagrad::nn::load_weights(from.string());
  std::string b = slurp(from);
  std::uint32_t entries = 0;
  std::memcpy(&entries, b.data() + 24, 4);
  std::size_t end = 28;  // past the metadata entries
  for (std::uint32_t k = 0; k < 2 * entries; ++k) {
    std::uint32_t len = 0;
    std::memcpy(&len, b.data() + end, 4);
    end += 4 + len;
  }
  ASSERT_EQ(entries, f.metadata.size());
  b.erase(24, end - 24);
  b[8] = 1;
  b.resize(b.size() - 4);
  const std::uint64_t size = b.size() + 4;
  std::memcpy(b.data() + 16, &size, 8);
  const auto crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size())));
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>(crc >> (8 * i)));
  std::ofstream(to, std::ios::binary) << b;
}

TEST_F(FashionMnistRun, Version1WeightsStillEvaluateFromTheFlags) {
  const nlohmann::json m = train({"--hidden", "24", "--activation", "sigmoid"}, 1,
                                 /*min_accuracy=*/0.2);  // sigmoid learns slowest
  const fs::path v1 = dir_ / "v1.bin";
  write_version_1(weights(), v1);
  ASSERT_EQ(dagrad::nn::load_weights(v1.string()).version, 1u);
  const Result r = evaluate({"--hidden", "24", "--activation", "sigmoid"}, v1);
  expect_same_accuracy(r, m);
  EXPECT_THAT(r.err, HasSubstr("does not record its model"));
  // Without the flags the shapes tell: an error with a hint, not a number.
  const Result wrong = evaluate({}, v1);
  EXPECT_EQ(wrong.code, 1) << wrong.out << wrong.err;
  EXPECT_THAT(wrong.err, HasSubstr("pass the --hidden and --activation"));
}

TEST_F(FashionMnistRun, APlotGnuplotCannotDrawFailsTheRun) {
  const std::vector<std::string> args = {"--epochs", "1",           "--limit",    "300",
                                         "--hidden", "8",           "--data-dir", kData.string(),
                                         "--out",    out().string()};
  // No gnuplot on PATH.
  fs::create_directories(dir_ / "empty_bin");
  Result r = run(dir_, args, "PATH=" + quote((dir_ / "empty_bin").string()));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot run gnuplot"));
  EXPECT_THAT(r.err, HasSubstr("gnuplot-nox"));
  // The run's results are still there; only the plot is missing.
  EXPECT_TRUE(fs::exists(out() / "metrics.json"));
  EXPECT_TRUE(fs::exists(weights()));
  EXPECT_FALSE(fs::exists(out() / "training.svg"));

  // A gnuplot that fails.
  fs::create_directories(dir_ / "bad_bin");
  const fs::path fake = dir_ / "bad_bin" / "gnuplot";
  std::ofstream(fake) << "#!/bin/sh\nexit 3\n";
  fs::permissions(fake, fs::perms::owner_all);
  r = run(dir_, args, "PATH=" + quote((dir_ / "bad_bin").string()));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("gnuplot failed"));
  EXPECT_THAT(r.err, HasSubstr("exit code 3"));
}

}  // namespace

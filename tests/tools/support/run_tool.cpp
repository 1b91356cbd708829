#include "run_tool.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

extern char** environ;

namespace dagrad::testing {

namespace {

const std::string& scratch_dir() {
  static const std::string dir = [] {
    std::string pattern = "/tmp/dagrad_cli_test_XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    return pattern;
  }();
  return dir;
}

int next_id() {
  static int id = 0;
  return ++id;
}

}  // namespace

std::string tool_path() {
#ifdef DAGRAD_CLI_PATH
  return DAGRAD_CLI_PATH;
#else
  return std::string(DAGRAD_BINARY_DIR) + "/tools/cli/dagrad";
#endif
}

std::string scratch_path(const std::string& name) {
  return scratch_dir() + "/" + name;
}

std::string scratch_file(const std::string& name, const std::string& content) {
  const std::string path = scratch_path(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ToolResult run_tool(const std::vector<std::string>& args, const std::string& stdin_text) {
  // Files rather than pipes: nothing to deadlock on however much the tool writes.
  const std::string stem = scratch_path("run" + std::to_string(next_id()));
  const std::string in_path = scratch_file("run" + std::to_string(next_id()) + ".in", stdin_text);
  const std::string out_path = stem + ".out";
  const std::string err_path = stem + ".err";

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  const std::string path = tool_path();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + path);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error("waitpid failed");

  ToolResult r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

namespace {

double number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  const auto& s = j.get_ref<const std::string&>();
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  throw std::runtime_error("not a number: " + s);
}

void flatten(const nlohmann::json& j, std::vector<double>& out) {
  if (!j.is_array()) {
    out.push_back(number(j));
    return;
  }
  for (const auto& e : j) flatten(e, out);
}

}  // namespace

std::vector<double> flat_values(const nlohmann::json& nested) {
  std::vector<double> out;
  flatten(nested, out);
  return out;
}

Shape nested_shape(const nlohmann::json& nested) {
  Shape shape;
  const nlohmann::json* at = &nested;
  while (at->is_array()) {
    shape.push_back(static_cast<std::int64_t>(at->size()));
    if (at->empty()) break;
    at = &(*at)[0];
  }
  return shape;
}

void expect_near_all(const nlohmann::json& got, const std::vector<double>& want, double tol) {
  const std::vector<double> v = flat_values(got);
  ASSERT_EQ(v.size(), want.size()) << got.dump();
  for (std::size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], want[i], tol * (1 + std::abs(want[i]))) << "element " << i;
}

}  // namespace dagrad::testing

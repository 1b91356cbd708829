// Running the built dagrad tool from tests: arguments as given (no shell), stdin from a string,
// stdout, stderr and the exit status captured.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <dagrad/core/shape.hpp>

namespace dagrad::testing {

struct ToolResult {
  int exit_code = -1;  // -1 when the tool died of a signal
  int signal = 0;
  std::string out;
  std::string err;
};

// The path of the built tool.
std::string tool_path();

// Runs `dagrad args...` and waits for it.
ToolResult run_tool(const std::vector<std::string>& args, const std::string& stdin_text = {});

// Writes content to a fresh file called `name` in this test process's scratch directory and
// returns its path.
std::string scratch_file(const std::string& name, const std::string& content);

// The path `name` would have in the scratch directory (for outputs the tool writes).
std::string scratch_path(const std::string& name);

// Reads a whole file.
std::string read_text(const std::string& path);

// A JSON value of nested lists (strings "nan", "inf", "-inf" allowed), flattened row-major,
// and its shape.
std::vector<double> flat_values(const nlohmann::json& nested);
Shape nested_shape(const nlohmann::json& nested);

// A gtest check: `got` (nested lists) holds `want`, flattened, each within tol·(1 + |want|).
void expect_near_all(const nlohmann::json& got, const std::vector<double>& want, double tol);

}  // namespace dagrad::testing

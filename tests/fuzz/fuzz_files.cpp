#include "fuzz_files.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace dagrad::fuzz {

namespace {

std::vector<std::string>& created() {
  static std::vector<std::string> paths;
  return paths;
}

// libFuzzer ends a time-bounded run with exit(), so the scratch files go with the process.
void remove_created() {
  for (const std::string& p : created()) std::remove(p.c_str());
}

}  // namespace

std::string scratch_path(const std::string& role) {
  // tmpfs makes the per-input write and fsync (save_tensors) cost nothing.
  static const std::string dir =
      std::filesystem::is_directory("/dev/shm") && ::access("/dev/shm", W_OK) == 0
          ? "/dev/shm"
          : std::filesystem::temp_directory_path().string();
  if (created().empty()) std::atexit(remove_created);
  std::string path = dir + "/dagrad_fuzz_" + std::to_string(::getpid()) + "_" + role;
  created().push_back(path);
  return path;
}

void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace dagrad::fuzz

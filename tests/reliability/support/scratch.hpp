// A scratch directory per test, removed afterwards, and whole-file helpers.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dagrad::testing {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }
  // Names of the entries in the directory, sorted.
  std::vector<std::string> entries() const;

 private:
  std::filesystem::path path_;
};

std::vector<char> file_bytes(const std::string& path);
void put_bytes(const std::string& path, const std::vector<char>& bytes);

}  // namespace dagrad::testing

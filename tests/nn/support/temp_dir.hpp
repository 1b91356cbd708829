// A fresh directory per test under the system's temporary directory, removed afterwards, plus
// helpers to read and write whole files as bytes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dagrad::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // path / name, as a string
  std::string file(const std::string& name) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<char> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<char>& bytes);

}  // namespace dagrad::testing

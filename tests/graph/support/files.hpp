// Test helpers for the graph tests: a scratch directory, whole-file reads, and the text an SVG
// shows (label lines and tooltips, XML entities decoded).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace dagrad::testing {

// A fresh directory under the system temp dir, removed (with its contents) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

// The decoded contents of every <text> element, in document order.
std::vector<std::string> svg_texts(const std::string& svg);
// The decoded xlink:title attributes (Graphviz's tooltips), in document order.
std::vector<std::string> svg_tooltips(const std::string& svg);

// True when bytes are well-formed UTF-8 without C0 control characters other than tab, newline
// and carriage return (what XML allows).
bool xml_safe_utf8(const std::string& bytes);

// A message for a failed golden comparison: the first differing line of each, and the command
// that shows the whole difference.
std::string golden_mismatch(const std::string& golden_path, const std::string& expected,
                            const std::string& actual, const std::string& actual_path);

}  // namespace dagrad::testing

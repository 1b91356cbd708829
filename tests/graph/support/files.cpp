#include "graph/support/files.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dagrad::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "dagrad_graph_XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("TempDir: mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("read_file: cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("write_file: cannot write " + path);
}

namespace {

void append_utf8(std::string& out, unsigned long c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string xml_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    const std::string entity = s.substr(i + 1, semi - i - 1);
    if (entity == "amp")
      out += '&';
    else if (entity == "lt")
      out += '<';
    else if (entity == "gt")
      out += '>';
    else if (entity == "quot")
      out += '"';
    else if (entity == "apos")
      out += '\'';
    else if (entity.size() > 2 && entity[0] == '#' && entity[1] == 'x')
      append_utf8(out, std::stoul(entity.substr(2), nullptr, 16));
    else if (entity.size() > 1 && entity[0] == '#')
      append_utf8(out, std::stoul(entity.substr(1)));
    else
      throw std::runtime_error("xml_decode: unknown entity &" + entity + ";");
    i = semi;
  }
  return out;
}

}  // namespace

std::vector<std::string> svg_texts(const std::string& svg) {
  std::vector<std::string> out;
  for (std::size_t p = 0; (p = svg.find("<text", p)) != std::string::npos;) {
    const std::size_t start = svg.find('>', p) + 1;
    const std::size_t end = svg.find("</text>", start);
    out.push_back(xml_decode(svg.substr(start, end - start)));
    p = end;
  }
  return out;
}

std::vector<std::string> svg_tooltips(const std::string& svg) {
  std::vector<std::string> out;
  const std::string key = "xlink:title=\"";
  for (std::size_t p = 0; (p = svg.find(key, p)) != std::string::npos;) {
    const std::size_t start = p + key.size();
    const std::size_t end = svg.find('"', start);
    out.push_back(xml_decode(svg.substr(start, end - start)));
    p = end;
  }
  return out;
}

bool xml_safe_utf8(const std::string& bytes) {
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') return false;
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (len == 0 || b > 0xF4 || i + len > bytes.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

std::string golden_mismatch(const std::string& golden_path, const std::string& expected,
                            const std::string& actual, const std::string& actual_path) {
  std::istringstream e(expected), a(actual);
  std::string el, al;
  int line = 1;
  while (true) {
    const bool more_e = static_cast<bool>(std::getline(e, el));
    const bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) break;
    if (!more_e) el = "<end of file>";
    if (!more_a) al = "<end of file>";
    if (el != al || !more_e || !more_a) break;
    ++line;
  }
  std::ostringstream msg;
  msg << "output differs from " << golden_path << " at line " << line << ":\n"
      << "  golden: " << el << "\n"
      << "  actual: " << al << "\n"
      << "whole difference: diff -u " << golden_path << " " << actual_path << "\n"
      << "if the change is intended, rerun with DAGRAD_UPDATE_GOLDEN=1 to rewrite the golden "
         "file\n";
  return msg.str();
}

}  // namespace dagrad::testing

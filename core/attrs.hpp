// An op's attributes (axis, keepdim, exponent...): a small ordered list of named values, so
// DOT labels and messages can print them in the order they were given.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace dagrad {

using AttrValue = std::variant<std::int64_t, double, bool, std::vector<std::int64_t>>;

class Attrs {
 public:
  Attrs() = default;
  Attrs(std::initializer_list<std::pair<std::string, AttrValue>> items) : items_(items) {}

  Attrs& set(const std::string& key, AttrValue value);
  bool has(const std::string& key) const;
  // The value under key, or fallback when absent; GraphError when present with another type.
  template <class T>
  T get(const std::string& key, T fallback) const;
  template <class T>
  T get(const std::string& key) const;  // GraphError when absent

  bool empty() const { return items_.empty(); }
  const std::vector<std::pair<std::string, AttrValue>>& items() const { return items_; }
  // "axis=1, keepdim=true"
  std::string to_string() const;

 private:
  const AttrValue* find(const std::string& key) const;
  std::vector<std::pair<std::string, AttrValue>> items_;
};

}  // namespace dagrad

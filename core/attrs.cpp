#include <dagrad/core/attrs.hpp>

#include <sstream>

#include <dagrad/core/error.hpp>

namespace dagrad {

Attrs& Attrs::set(const std::string& key, AttrValue value) {
  for (auto& [k, v] : items_)
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  items_.emplace_back(key, std::move(value));
  return *this;
}

const AttrValue* Attrs::find(const std::string& key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return &v;
  return nullptr;
}

bool Attrs::has(const std::string& key) const {
  return find(key) != nullptr;
}

template <class T>
T Attrs::get(const std::string& key, T fallback) const {
  const AttrValue* v = find(key);
  if (!v) return fallback;
  if (const T* p = std::get_if<T>(v)) return *p;
  // Integers are accepted where doubles are asked for (pow(x, 2)).
  if constexpr (std::is_same_v<T, double>)
    if (const auto* i = std::get_if<std::int64_t>(v)) return static_cast<double>(*i);
  throw GraphError("attribute '" + key + "' has the wrong type");
}

template <class T>
T Attrs::get(const std::string& key) const {
  if (!find(key)) throw GraphError("attribute '" + key + "' is missing");
  return get<T>(key, T{});
}

template std::int64_t Attrs::get(const std::string&, std::int64_t) const;
template double Attrs::get(const std::string&, double) const;
template bool Attrs::get(const std::string&, bool) const;
template std::vector<std::int64_t> Attrs::get(const std::string&, std::vector<std::int64_t>) const;
template std::int64_t Attrs::get(const std::string&) const;
template double Attrs::get(const std::string&) const;
template bool Attrs::get(const std::string&) const;
template std::vector<std::int64_t> Attrs::get(const std::string&) const;

std::string Attrs::to_string() const {
  std::ostringstream os;
  bool first = true;
  for (const auto& [k, v] : items_) {
    if (!first) os << ", ";
    first = false;
    os << k << '=';
    std::visit(
        [&](const auto& x) {
          using X = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<X, bool>) {
            os << (x ? "true" : "false");
          } else if constexpr (std::is_same_v<X, std::vector<std::int64_t>>) {
            os << '[';
            for (std::size_t i = 0; i < x.size(); ++i) os << (i ? "," : "") << x[i];
            os << ']';
          } else {
            os << x;
          }
        },
        v);
  }
  return os.str();
}

}  // namespace dagrad

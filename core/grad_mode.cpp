#include <dagrad/core/grad_mode.hpp>

namespace dagrad {

namespace {
thread_local bool t_grad_enabled = true;
thread_local std::vector<std::size_t> t_scope_lengths;
thread_local std::string t_scope;
}  // namespace

bool grad_enabled() {
  return t_grad_enabled;
}
void set_grad_enabled(bool on) {
  t_grad_enabled = on;
}

ScopeGuard::ScopeGuard(const std::string& name) {
  t_scope_lengths.push_back(t_scope.size());
  if (!t_scope.empty()) t_scope += '/';
  t_scope += name;
}

ScopeGuard::~ScopeGuard() {
  t_scope.resize(t_scope_lengths.back());
  t_scope_lengths.pop_back();
}

const std::string& current_scope() {
  return t_scope;
}

}  // namespace dagrad

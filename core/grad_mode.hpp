// Whether ops record nodes, per thread. NoGradGuard turns recording off for a scope
// (evaluation, optimiser updates), as torch.no_grad() does.
#pragma once

#include <string>
#include <vector>

namespace dagrad {

bool grad_enabled();
void set_grad_enabled(bool on);

class NoGradGuard {
 public:
  NoGradGuard() : previous_(grad_enabled()) { set_grad_enabled(false); }
  ~NoGradGuard() { set_grad_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

class EnableGradGuard {
 public:
  explicit EnableGradGuard(bool on = true) : previous_(grad_enabled()) { set_grad_enabled(on); }
  ~EnableGradGuard() { set_grad_enabled(previous_); }
  EnableGradGuard(const EnableGradGuard&) = delete;
  EnableGradGuard& operator=(const EnableGradGuard&) = delete;

 private:
  bool previous_;
};

// Named scopes, per thread: nodes created inside ScopeGuard("fc1") carry scope "fc1" (nested
// scopes join with '/'), and DOT draws each scope as a cluster.
class ScopeGuard {
 public:
  explicit ScopeGuard(const std::string& name);
  ~ScopeGuard();
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;
};

// "model/fc1", or "" outside any scope.
const std::string& current_scope();

}  // namespace dagrad

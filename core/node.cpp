#include <dagrad/core/node.hpp>

namespace dagrad {

// Note [Iterative graph release]
// Destroying the root of a 1,000,000-op chain would destroy each node from inside its
// consumer's destructor and overflow the stack. Instead, a node about to die takes over the
// nodes that only it keeps alive and lets them die one at a time, in a loop.
Node::~Node() {
  std::vector<std::shared_ptr<Node>> orphans;
  auto adopt = [&orphans](std::vector<Tensor>& inputs) {
    for (Tensor& t : inputs) {
      const auto& impl = t.impl_ptr();
      if (impl && impl.use_count() == 1 && impl->grad_fn && impl->grad_fn.use_count() == 1)
        orphans.push_back(std::move(impl->grad_fn));
    }
    inputs.clear();
  };
  adopt(inputs);
  while (!orphans.empty()) {
    std::shared_ptr<Node> n = std::move(orphans.back());
    orphans.pop_back();
    adopt(n->inputs);  // n now dies here with no inputs left, so no recursion
  }
}

}  // namespace dagrad

// A test plugin whose entry point throws before registering anything.
#include <stdexcept>

#include <dagrad/core/plugin.hpp>

extern "C" void dagrad_register_ops() {
  throw std::runtime_error("throwing_entry_point: refusing to register anything");
}

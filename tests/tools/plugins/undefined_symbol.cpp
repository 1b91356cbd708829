// A test plugin that calls a dagrad function the tool does not have (as a plugin built against
// other headers than the tool's might): dlopen(RTLD_NOW) refuses it, naming the symbol.
#include <dagrad/core/plugin.hpp>

namespace dagrad {
void function_the_tool_does_not_have();
}

extern "C" void dagrad_register_ops() {
  dagrad::function_the_tool_does_not_have();
}

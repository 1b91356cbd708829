// A test plugin without the entry point: the usual slip, a C++ function of the right name
// without extern "C" (and without <dagrad/core/plugin.hpp>, which would have given it C
// linkage), so that its name is mangled and dlsym does not find it.
void dagrad_register_ops() {}

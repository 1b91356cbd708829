// The entry point of a plugin: a shared library of user ops that the dagrad tool loads at run
// time (`dagrad eval --plugin PATH`, or DAGRAD_PLUGINS=PATH:PATH), as PyTorch loads custom ops
// with torch.ops.load_library. A plugin defines
//
//     #include <dagrad/core/plugin.hpp>
//     extern "C" void dagrad_register_ops() { dagrad::register_op(my_op_def()); }
//
// and registers its ops with register_op (core/registry.hpp), the call the built-in ops and
// in-process user ops use. The tool loads each library once and calls the entry point once;
// a registration error (a name already taken) or any exception it throws is reported, naming
// the library, and the tool exits 1. Ops registered before the throw stay registered.
//
// A plugin is built with `-fPIC -shared` and dagrad's headers, with the same compiler and flags
// as the tool, and is NOT linked with libdagrad: its references to dagrad resolve, at load
// time, to the tool's own copies (the tool exports its symbols), so there is one op registry.
// docs/plugins.md has the commands.
#pragma once

// The symbol the tool looks up with dlsym.
#define DAGRAD_PLUGIN_ENTRY_POINT "dagrad_register_ops"

// Declared here so that a definition in a file including this header gets C linkage (an
// unmangled name dlsym can find) and stays exported under -fvisibility=hidden.
extern "C" __attribute__((visibility("default"))) void dagrad_register_ops();

// Plugins of the dagrad tool (core/plugin.hpp): shared libraries of user ops, loaded with dlopen
// before the program runs, whose entry point registers the ops in the tool's own registry.
#pragma once

#include <string>
#include <vector>

namespace dagrad::cli {

// The paths of a DAGRAD_PLUGINS value, separated by ':' (empty entries are skipped; nullptr
// gives none).
std::vector<std::string> split_plugin_paths(const char* value);

// Loads the shared library at `path` and calls its dagrad_register_ops() once. `path` is a file
// name, never searched for in the library path (a bare "x.so" is "./x.so"). A library already
// loaded (the same file given twice, under any name) is not run again. `from` says where the
// path came from, for messages ("" for the command line, or "DAGRAD_PLUGINS").
// Throws PluginError naming the path: it cannot be opened (dlerror's reason: no such file, not a
// shared library, an undefined symbol), has no entry point, or the entry point threw (a name
// already registered is a GraphError from register_op).
void load_plugin(const std::string& path, const std::string& from = {});

}  // namespace dagrad::cli

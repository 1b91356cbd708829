#include "plugins.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <exception>

#include <dagrad/core/plugin.hpp>

#include "diagnostics.hpp"

namespace dagrad::cli {

std::vector<std::string> split_plugin_paths(const char* value) {
  std::vector<std::string> paths;
  if (!value) return paths;
  const std::string text = value;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t colon = text.find(':', start);
    if (colon == std::string::npos) colon = text.size();
    if (colon > start) paths.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  return paths;
}

void load_plugin(const std::string& path, const std::string& from) {
  const std::string where =
      "plugin '" + path + "'" + (from.empty() ? std::string() : " (from " + from + ")");
  // Handles of the libraries whose entry point has run. Never closed: the ops they registered
  // hold pointers into their code for the rest of the process.
  static std::vector<void*> loaded;

  // dlopen searches the library path for a name without '/'; a plugin is a file, as given.
  const std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  // RTLD_NOW: a symbol the tool does not provide is an error here, naming the symbol, not a
  // crash when the op first runs. RTLD_LOCAL: plugins do not bind to each other's symbols;
  // their references to dagrad still resolve to the tool's exported copies (one registry).
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* reason = dlerror();
    throw PluginError(where + ": cannot open: " + (reason ? reason : "unknown error"));
  }
  if (std::find(loaded.begin(), loaded.end(), handle) != loaded.end()) {
    dlclose(handle);  // the same file again: only drops the reference dlopen just added
    return;
  }

  dlerror();
  void* symbol = dlsym(handle, DAGRAD_PLUGIN_ENTRY_POINT);
  if (!symbol)
    throw PluginError(where + ": no entry point '" DAGRAD_PLUGIN_ENTRY_POINT
                              "' (define extern \"C\" void " DAGRAD_PLUGIN_ENTRY_POINT
                              "(), declared in <dagrad/core/plugin.hpp>)");
  loaded.push_back(handle);
  const auto entry = reinterpret_cast<void (*)()>(symbol);
  try {
    entry();
  } catch (const std::exception& e) {
    throw PluginError(where + ": " DAGRAD_PLUGIN_ENTRY_POINT "() failed: " + e.what());
  } catch (...) {
    throw PluginError(where + ": " DAGRAD_PLUGIN_ENTRY_POINT
                              "() failed: an exception that is not a std::exception");
  }
}

}  // namespace dagrad::cli

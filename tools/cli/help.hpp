// The help texts of the dagrad tool: the expression language, the input formats, the exit codes
// and the registry's ops (read when the help is shown, so user-registered ops appear too).
#pragma once

#include <string>

namespace dagrad::cli {

// The language and input reference shared by every --help.
std::string language_help();

// One line per registered op: name, arity, keywords and its doc.
std::string ops_help();

// How --plugin and DAGRAD_PLUGINS load shared libraries of user ops.
std::string plugins_help();

// What every help ends with: language, ops, plugins and exit codes.
std::string help_footer();

// What `dagrad eval --help` and `dagrad dot --help` end with: what the command prints, an
// example, then help_footer().
std::string eval_footer();
std::string dot_footer();
std::string gradcheck_footer();

}  // namespace dagrad::cli

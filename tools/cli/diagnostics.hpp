// Errors of the dagrad tool and how they are shown: a position in the program text, the error
// classes that carry one, and the excerpt (source line plus a caret) printed under a message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include <dagrad/core/error.hpp>

namespace dagrad::cli {

// A position in the program text: byte offset, and 1-based line and column (the column counts
// characters, not bytes, so the caret lines up under UTF-8 text).
struct Location {
  std::size_t offset = 0;
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

// The program does not parse. The tool prints it with an excerpt and exits 2.
class SyntaxError : public Error {
 public:
  SyntaxError(const std::string& message, Location where)
      : Error("line " + std::to_string(where.line) + ", column " + std::to_string(where.column) +
              ": " + message),
        message_(message),
        where_(where) {}
  const std::string& message() const { return message_; }
  const Location& where() const { return where_; }

 private:
  std::string message_;
  Location where_;
};

// The program parsed but failed while running: an unknown name, or an engine error (shape,
// dtype, value) raised by the op at `where`. what() is the engine's message unchanged; the tool
// prints it, then the excerpt, and exits 1.
class ProgramError : public Error {
 public:
  ProgramError(const std::string& message, Location where) : Error(message), where_(where) {}
  const Location& where() const { return where_; }

 private:
  Location where_;
};

// The command line is wrong (a malformed --input, an unknown --grad name...). Exit code 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

// A plugin (--plugin, DAGRAD_PLUGINS) could not be loaded or its entry point failed; what()
// starts with "plugin '<path>'". Exit code 1.
class PluginError : public Error {
 public:
  using Error::Error;
};

// The line of `source` holding `where`, then a line with a caret under its column. Long lines
// are cut to a window around the column, marked with "...".
std::string excerpt(std::string_view source, const Location& where);

// Exit codes: 0 success, 1 the program or its data failed, 2 the command line or the program's
// syntax is wrong.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Call inside a catch block: writes the exception in flight to err (with an excerpt of `source`
// for errors that have a location) and returns the exit code it calls for. Handles every
// exception, so nothing escapes to terminate().
int report_current_exception(std::ostream& err, std::string_view source);

}  // namespace dagrad::cli

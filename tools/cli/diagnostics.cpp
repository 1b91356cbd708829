#include "diagnostics.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <ostream>

namespace dagrad::cli {

namespace {

// Programs may be single lines of megabytes; an excerpt shows at most this many bytes on each
// side of the caret.
constexpr std::size_t kWindow = 60;

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string excerpt(std::string_view source, const Location& where) {
  const std::size_t at = std::min(where.offset, source.size());
  std::size_t begin = 0;
  if (at > 0)
    if (const std::size_t newline = source.rfind('\n', at - 1); newline != std::string_view::npos)
      begin = newline + 1;
  std::size_t end = source.find('\n', at);
  if (end == std::string_view::npos) end = source.size();
  if (end > begin && source[end - 1] == '\r') --end;

  std::string line;
  std::string caret;
  std::size_t from = begin;
  if (at - begin > kWindow) {
    from = at - kWindow;
    while (from < at && is_continuation(source[from])) ++from;
    line = "...";
    caret = "   ";
  }
  std::size_t to = end;
  bool cut_end = false;
  if (end - at > kWindow) {
    to = at + kWindow;
    while (to < end && is_continuation(source[to])) ++to;
    cut_end = true;
  }
  line.append(source.substr(from, to - from));
  if (cut_end) line += "...";
  // The caret line copies tabs so that it lines up however the terminal expands them, and
  // counts one column per character, not per byte.
  for (std::size_t i = from; i < at; ++i) {
    if (source[i] == '\t')
      caret += '\t';
    else if (!is_continuation(source[i]))
      caret += ' ';
  }
  caret += '^';
  return line + '\n' + caret;
}

namespace {

std::string indented(const std::string& text) {
  std::string out = "  ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

}  // namespace

int report_current_exception(std::ostream& err, std::string_view source) {
  try {
    throw;
  } catch (const SyntaxError& e) {
    err << "dagrad: syntax error at " << e.what() << '\n'
        << indented(excerpt(source, e.where())) << '\n';
    return kExitUsage;
  } catch (const ProgramError& e) {
    err << "dagrad: error: " << e.what() << "\n  at line " << e.where().line << ", column "
        << e.where().column << ":\n"
        << indented(excerpt(source, e.where())) << '\n';
    return kExitFailure;
  } catch (const UsageError& e) {
    err << "dagrad: " << e.what() << "\nRun with --help for more information.\n";
    return kExitUsage;
  } catch (const PluginError& e) {
    err << "dagrad: " << e.what() << '\n';
    return kExitFailure;
  } catch (const std::bad_alloc&) {
    err << "dagrad: error: out of memory\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    err << "dagrad: error: " << e.what() << '\n';
    return kExitFailure;
  } catch (...) {
    err << "dagrad: error: unexpected exception\n";
    return kExitFailure;
  }
}

}  // namespace dagrad::cli

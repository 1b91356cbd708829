// The lexer of the expression language: turns program text into tokens on demand (programs may
// be megabytes, so no token list is built).
//
// Tokens: numbers (12, 0.5, .5, 1e-3), names ([A-Za-z_][A-Za-z0-9_]*), the symbols
// + - * / @ ( ) [ ] , = ;, and statement ends. A newline ends a statement only outside
// parentheses and brackets, as in Python; `#` starts a comment that runs to the end of the line.
// Throws SyntaxError on a character that starts no token or a number out of range.
#pragma once

#include <cstdint>
#include <string_view>

#include "diagnostics.hpp"

namespace dagrad::cli {

enum class TokenKind : std::uint8_t {
  number,
  name,
  plus,
  minus,
  star,
  slash,
  at,
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  equals,
  end_statement,  // ';' or a newline outside brackets
  end,            // end of the program
};

// "'+'", "a name", "the end of the program"...: for "expected X, got Y" messages.
const char* describe(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::end;
  std::string_view text;  // a view into the program text
  Location where;
  // For numbers: the value, and whether it was written as an integer (no '.', no exponent),
  // which keyword arguments such as axis=1 need.
  double number = 0;
  std::int64_t integer = 0;
  bool is_integer = false;
};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  // The next token, consuming it.
  Token next();
  // The next token without consuming it; peek(1) is the one after.
  const Token& peek(int ahead = 0);

 private:
  Token scan();
  void skip_blanks();
  void advance(std::size_t bytes);
  Token make(TokenKind kind, Location where, std::size_t length);
  Token scan_number(Location where);

  std::string_view source_;
  std::size_t pos_ = 0;
  Location here_;
  Location after_last_;  // just past the last token: where "the end of the program" is shown
  int bracket_depth_ = 0;
  Token lookahead_[2];
  int buffered_ = 0;
};

}  // namespace dagrad::cli

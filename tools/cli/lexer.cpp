#include "lexer.hpp"

#include <charconv>
#include <cstdio>
#include <string>
#include <system_error>

namespace dagrad::cli {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || is_digit(c);
}

std::string show_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
  return buf;
}

}  // namespace

const char* describe(TokenKind kind) {
  switch (kind) {
    case TokenKind::number:
      return "a number";
    case TokenKind::name:
      return "a name";
    case TokenKind::plus:
      return "'+'";
    case TokenKind::minus:
      return "'-'";
    case TokenKind::star:
      return "'*'";
    case TokenKind::slash:
      return "'/'";
    case TokenKind::at:
      return "'@'";
    case TokenKind::lparen:
      return "'('";
    case TokenKind::rparen:
      return "')'";
    case TokenKind::lbracket:
      return "'['";
    case TokenKind::rbracket:
      return "']'";
    case TokenKind::comma:
      return "','";
    case TokenKind::equals:
      return "'='";
    case TokenKind::end_statement:
      return "the end of the statement";
    case TokenKind::end:
      return "the end of the program";
  }
  return "a token";
}

Token Lexer::next() {
  if (buffered_ == 0) return scan();
  Token t = lookahead_[0];
  lookahead_[0] = lookahead_[1];
  --buffered_;
  return t;
}

const Token& Lexer::peek(int ahead) {
  while (buffered_ <= ahead) lookahead_[buffered_++] = scan();
  return lookahead_[ahead];
}

void Lexer::advance(std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i) {
    const char c = source_[pos_ + i];
    if (c == '\n') {
      ++here_.line;
      here_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++here_.column;  // one column per character: UTF-8 continuation bytes do not count
    }
  }
  pos_ += bytes;
  here_.offset = pos_;
}

void Lexer::skip_blanks() {
  while (pos_ < source_.size()) {
    const char c = source_[pos_];
    if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && bracket_depth_ > 0)) {
      advance(1);
    } else if (c == '#') {
      std::size_t n = 0;
      while (pos_ + n < source_.size() && source_[pos_ + n] != '\n') ++n;
      advance(n);
    } else {
      return;
    }
  }
}

Token Lexer::make(TokenKind kind, Location where, std::size_t length) {
  Token t;
  t.kind = kind;
  t.where = where;
  t.text = source_.substr(pos_, length);
  advance(length);
  if (t.text != "\n") after_last_ = here_;
  return t;
}

Token Lexer::scan_number(Location where) {
  std::size_t n = 0;
  bool integer = true;
  while (pos_ + n < source_.size() && is_digit(source_[pos_ + n])) ++n;
  if (pos_ + n < source_.size() && source_[pos_ + n] == '.') {
    integer = false;
    ++n;
    while (pos_ + n < source_.size() && is_digit(source_[pos_ + n])) ++n;
  }
  if (pos_ + n < source_.size() && (source_[pos_ + n] == 'e' || source_[pos_ + n] == 'E')) {
    std::size_t m = n + 1;
    if (pos_ + m < source_.size() && (source_[pos_ + m] == '+' || source_[pos_ + m] == '-')) ++m;
    if (pos_ + m < source_.size() && is_digit(source_[pos_ + m])) {
      integer = false;
      while (pos_ + m < source_.size() && is_digit(source_[pos_ + m])) ++m;
      n = m;
    } else {
      throw SyntaxError("malformed number: the exponent has no digits", where);
    }
  }
  if (pos_ + n < source_.size() && is_name_start(source_[pos_ + n]))
    throw SyntaxError("malformed number '" + std::string(source_.substr(pos_, n + 1)) + "'", where);
  const char* first = source_.data() + pos_;
  const char* last = first + n;
  Token t;
  t.kind = TokenKind::number;
  t.where = where;
  t.text = source_.substr(pos_, n);
  t.is_integer = integer;
  const auto parsed = std::from_chars(first, last, t.number);
  if (parsed.ec == std::errc::result_out_of_range)
    throw SyntaxError("number '" + std::string(t.text) + "' is out of range", where);
  if (integer && std::from_chars(first, last, t.integer).ec != std::errc{})
    t.is_integer = false;  // too big for int64: still a fine (floating) number
  advance(n);
  after_last_ = here_;
  return t;
}

Token Lexer::scan() {
  skip_blanks();
  const Location where = here_;
  if (pos_ >= source_.size()) {
    Token t;
    t.kind = TokenKind::end;
    t.where = after_last_;
    return t;
  }
  const char c = source_[pos_];
  if (is_digit(c) || (c == '.' && pos_ + 1 < source_.size() && is_digit(source_[pos_ + 1])))
    return scan_number(where);
  if (is_name_start(c)) {
    std::size_t n = 1;
    while (pos_ + n < source_.size() && is_name_char(source_[pos_ + n])) ++n;
    return make(TokenKind::name, where, n);
  }
  switch (c) {
    case '+':
      return make(TokenKind::plus, where, 1);
    case '-':
      return make(TokenKind::minus, where, 1);
    case '*':
      return make(TokenKind::star, where, 1);
    case '/':
      return make(TokenKind::slash, where, 1);
    case '@':
      return make(TokenKind::at, where, 1);
    case ',':
      return make(TokenKind::comma, where, 1);
    case '=':
      return make(TokenKind::equals, where, 1);
    case ';':
    case '\n':
      return make(TokenKind::end_statement, where, 1);
    case '(':
    case '[':
      ++bracket_depth_;
      return make(c == '(' ? TokenKind::lparen : TokenKind::lbracket, where, 1);
    case ')':
    case ']':
      // A stray closer is the parser's to report; the depth just must not go negative, or
      // every later newline would be swallowed.
      if (bracket_depth_ > 0) --bracket_depth_;
      return make(c == ')' ? TokenKind::rparen : TokenKind::rbracket, where, 1);
    default:
      break;
  }
  throw SyntaxError("unexpected character " + show_char(c), where);
}

}  // namespace dagrad::cli

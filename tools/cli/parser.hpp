// The parser of the expression language.
//
//   program    := sep* statement (sep+ statement)* sep*      sep := ';' | newline
//   statement  := NAME '=' expr | expr                       (only the last may be a bare expr)
//   expr       := term (('+' | '-') term)*
//   term       := unary (('*' | '/' | '@') unary)*
//   unary      := '-' unary | primary
//   primary    := NUMBER | NAME | NAME '(' args? ')' | '(' expr ')'
//   args       := arg (',' arg)* ','?
//   arg        := expr | NAME '=' attr                       (keywords after positional args)
//   attr       := '-'? NUMBER | 'true' | 'false' | '[' ('-'? INT (',' '-'? INT)*)? ']'
//
// Precedence as in Python: unary minus binds tighter than '*' '/' '@', which bind tighter than
// '+' '-'; binary operators associate to the left. A negated number literal is folded into the
// literal (a constant, not a neg node).
//
// The parser does not recurse: statements are read by a loop, and expressions by operator
// precedence over explicit stacks, with one stack frame per open parenthesis or call. Program
// length and nesting depth therefore cost heap, never the call stack (a fuzzer's input of a
// million '(' is a SyntaxError, not a stack overflow).
#pragma once

#include <string_view>

#include "ast.hpp"

namespace dagrad::cli {

// Throws SyntaxError with the location of the offending token.
Program parse_program(std::string_view source);

}  // namespace dagrad::cli

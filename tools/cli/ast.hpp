// The parsed program, kept flat: every expression node lives in one array and refers to its
// operands by index. Operands always come before the node that uses them, and the nodes of a
// statement are contiguous, so a program of a million nodes is evaluated by a loop and freed
// without recursion.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <dagrad/core/attrs.hpp>

#include "diagnostics.hpp"

namespace dagrad::cli {

using NodeId = std::uint32_t;
using SymbolId = std::uint32_t;

enum class NodeKind : std::uint8_t {
  number,  // a literal: number
  name,    // a reference to an input or a bound name: symbol
  negate,  // -lhs
  binary,  // lhs op rhs
  call,    // calls[call]: a registered op applied to arguments
};

// The binary operators and the registry op each one applies.
enum class BinaryOp : std::uint8_t { add, sub, mul, div, matmul };
const char* op_name(BinaryOp op);

struct Node {
  NodeKind kind = NodeKind::number;
  BinaryOp op = BinaryOp::add;
  Location where;  // the token that names the operation (operator, function or name)
  double number = 0;
  NodeId lhs = 0;
  NodeId rhs = 0;
  SymbolId symbol = 0;     // name
  std::uint32_t call = 0;  // call
};

struct Keyword {
  std::string name;
  AttrValue value;
  Location where;
};

struct Call {
  SymbolId function = 0;
  std::vector<NodeId> args;
  std::vector<Keyword> keywords;
};

// `target = expr`, or the final output expression (has_target false). The statement's nodes
// are [first, root].
struct Statement {
  bool has_target = false;
  SymbolId target = 0;
  NodeId first = 0;
  NodeId root = 0;
  Location where;
};

struct Program {
  std::vector<Node> nodes;
  std::vector<Call> calls;
  std::vector<std::string> symbols;   // names and function names, each once
  std::vector<Statement> statements;  // the last one is the output expression
};

}  // namespace dagrad::cli

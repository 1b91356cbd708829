#include "parser.hpp"

#include <string>
#include <unordered_map>

#include "lexer.hpp"

namespace dagrad::cli {

const char* op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::add:
      return "add";
    case BinaryOp::sub:
      return "sub";
    case BinaryOp::mul:
      return "mul";
    case BinaryOp::div:
      return "div";
    case BinaryOp::matmul:
      return "matmul";
  }
  return "add";
}

namespace {

std::string describe_token(const Token& t) {
  switch (t.kind) {
    case TokenKind::number:
      return "number '" + std::string(t.text) + "'";
    case TokenKind::name:
      return "name '" + std::string(t.text) + "'";
    case TokenKind::end_statement:
      return t.text == ";" ? "';'" : "the end of the line";
    default:
      return describe(t.kind);
  }
}

std::string position(const Location& where) {
  return "line " + std::to_string(where.line) + ", column " + std::to_string(where.column);
}

int precedence(BinaryOp op) {
  return op == BinaryOp::add || op == BinaryOp::sub ? 1 : 2;
}

bool binary_op(TokenKind kind, BinaryOp& op) {
  switch (kind) {
    case TokenKind::plus:
      op = BinaryOp::add;
      return true;
    case TokenKind::minus:
      op = BinaryOp::sub;
      return true;
    case TokenKind::star:
      op = BinaryOp::mul;
      return true;
    case TokenKind::slash:
      op = BinaryOp::div;
      return true;
    case TokenKind::at:
      op = BinaryOp::matmul;
      return true;
    default:
      return false;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view source) : lexer_(source) {}

  Program run() {
    while (true) {
      while (lexer_.peek().kind == TokenKind::end_statement) lexer_.next();
      if (lexer_.peek().kind == TokenKind::end) break;
      parse_statement();
      const Token& after = lexer_.peek();
      if (after.kind == TokenKind::rparen) fail("unmatched ')'", after.where);
      if (after.kind != TokenKind::end_statement && after.kind != TokenKind::end)
        fail("expected ';' or a new line after the statement, got " + describe_token(after),
             after.where);
    }
    const Location end = lexer_.peek().where;
    if (program_.statements.empty()) fail("the program is empty: expected an expression", end);
    for (std::size_t i = 0; i + 1 < program_.statements.size(); ++i)
      if (!program_.statements[i].has_target)
        fail("only the last statement is the output; bind this one to a name (name = ...)",
             program_.statements[i].where);
    if (program_.statements.back().has_target)
      fail(
          "the program must end with the output expression, after the last 'name = ...' "
          "statement",
          end);
    return std::move(program_);
  }

 private:
  // An operator waiting for its right operand.
  struct PendingOp {
    bool negate = false;  // unary minus; otherwise the binary `op`
    BinaryOp op = BinaryOp::add;
    Location where;
  };

  // An expression being read: the statement's, a parenthesised one, or a call's arguments.
  // Operators and operands above its bases belong to it.
  struct Frame {
    enum class Kind { statement, paren, call } kind = Kind::statement;
    std::size_t ops_base = 0;
    std::size_t operands_base = 0;
    Location open;              // '(' of a paren, function name of a call
    std::string_view function;  // call
    Call call;                  // call: the arguments so far
    bool seen_keyword = false;  // call
  };

  [[noreturn]] static void fail(const std::string& message, const Location& where) {
    throw SyntaxError(message, where);
  }

  void parse_statement() {
    Statement s;
    s.where = lexer_.peek().where;
    if (lexer_.peek().kind == TokenKind::name && lexer_.peek(1).kind == TokenKind::equals) {
      s.has_target = true;
      s.target = intern(lexer_.next().text);
      lexer_.next();  // '='
    }
    s.first = static_cast<NodeId>(program_.nodes.size());
    s.root = parse_expr();
    program_.statements.push_back(s);
  }

  NodeId parse_expr() {
    push_frame(Frame::Kind::statement, lexer_.peek().where);
    bool expect_operand = true;
    while (true) {
      if (expect_operand) {
        const Token t = lexer_.next();
        switch (t.kind) {
          case TokenKind::minus:
            ops_.push_back({true, BinaryOp::add, t.where});
            break;
          case TokenKind::number:
            push_operand(add_node(NodeKind::number, t.where, t.number));
            expect_operand = false;
            break;
          case TokenKind::name:
            if (lexer_.peek().kind == TokenKind::lparen) {
              lexer_.next();
              push_frame(Frame::Kind::call, t.where).function = t.text;
              expect_operand = !start_argument();
              if (!expect_operand) close_call();
            } else {
              const NodeId n = add_node(NodeKind::name, t.where);
              program_.nodes[n].symbol = intern(t.text);
              push_operand(n);
              expect_operand = false;
            }
            break;
          case TokenKind::lparen:
            push_frame(Frame::Kind::paren, t.where);
            break;
          default:
            fail("expected an expression, got " + describe_token(t), t.where);
        }
        continue;
      }

      const Token& t = lexer_.peek();
      BinaryOp op;
      if (binary_op(t.kind, op)) {
        const Location where = lexer_.next().where;
        while (ops_.size() > frames_.back().ops_base &&
               precedence(ops_.back().op) >= precedence(op))
          reduce();
        ops_.push_back({false, op, where});
        expect_operand = true;
        continue;
      }
      Frame& f = frames_.back();
      if (f.kind == Frame::Kind::statement) {
        // Whatever follows ends the expression; the statement loop says whether it may.
        const NodeId root = finish_frame();
        frames_.pop_back();
        return root;
      }
      if (f.kind == Frame::Kind::paren) {
        if (t.kind != TokenKind::rparen)
          fail(
              "expected ')' to close the '(' at " + position(f.open) + ", got " + describe_token(t),
              t.where);
        lexer_.next();
        const NodeId inner = finish_frame();
        frames_.pop_back();
        push_operand(inner);
        continue;
      }
      if (t.kind != TokenKind::comma && t.kind != TokenKind::rparen)
        fail("expected ',' or ')' in the arguments of '" + std::string(f.function) + "', got " +
                 describe_token(t),
             t.where);
      const bool comma = lexer_.next().kind == TokenKind::comma;
      const NodeId arg = finish_frame();
      frames_.back().call.args.push_back(arg);
      expect_operand = !(comma ? start_argument() : true);
      if (!expect_operand) close_call();
    }
  }

  // At the start of an argument (after '(' or ','): reads keyword arguments, which need no
  // expression. Returns true when it reached the call's ')', false when a positional argument
  // (an expression) follows.
  bool start_argument() {
    while (true) {
      const Token& t = lexer_.peek();
      if (t.kind == TokenKind::rparen) {
        lexer_.next();
        return true;
      }
      Frame& f = frames_.back();
      if (t.kind != TokenKind::name || lexer_.peek(1).kind != TokenKind::equals) {
        if (f.seen_keyword) fail("a positional argument cannot follow a keyword argument", t.where);
        return false;
      }
      Keyword kw;
      kw.name = std::string(lexer_.next().text);
      kw.where = t.where;
      lexer_.next();  // '='
      for (const Keyword& other : f.call.keywords)
        if (other.name == kw.name) fail("keyword '" + kw.name + "' is given twice", kw.where);
      kw.value = parse_attr();
      f.call.keywords.push_back(std::move(kw));
      f.seen_keyword = true;
      const Token& after = lexer_.peek();
      if (after.kind == TokenKind::comma) {
        lexer_.next();
      } else if (after.kind != TokenKind::rparen) {
        fail("expected ',' or ')' in the arguments of '" + std::string(f.function) + "', got " +
                 describe_token(after),
             after.where);
      }
    }
  }

  // The call frame on top is complete: it becomes a call node, an operand of the frame below.
  void close_call() {
    Frame& f = frames_.back();
    const NodeId n = add_node(NodeKind::call, f.open);
    program_.nodes[n].call = static_cast<std::uint32_t>(program_.calls.size());
    f.call.function = intern(f.function);
    program_.calls.push_back(std::move(f.call));
    frames_.pop_back();
    push_operand(n);
  }

  AttrValue parse_attr() {
    const Token t = lexer_.next();
    if (t.kind == TokenKind::name && (t.text == "true" || t.text == "false"))
      return t.text == "true";
    if (t.kind == TokenKind::lbracket) {
      std::vector<std::int64_t> list;
      while (lexer_.peek().kind != TokenKind::rbracket) {
        list.push_back(parse_integer());
        if (lexer_.peek().kind == TokenKind::comma)
          lexer_.next();
        else if (lexer_.peek().kind != TokenKind::rbracket)
          fail("expected ',' or ']' in the list, got " + describe_token(lexer_.peek()),
               lexer_.peek().where);
      }
      lexer_.next();  // ']'
      return list;
    }
    const bool negative = t.kind == TokenKind::minus;
    const Token number = negative ? lexer_.next() : t;
    if (number.kind != TokenKind::number)
      fail("expected a keyword value (a number, true, false or a list [1, 2]), got " +
               describe_token(number),
           number.where);
    if (number.is_integer) return negative ? -number.integer : number.integer;
    return negative ? -number.number : number.number;
  }

  std::int64_t parse_integer() {
    const bool negative = lexer_.peek().kind == TokenKind::minus;
    if (negative) lexer_.next();
    const Token t = lexer_.next();
    if (t.kind != TokenKind::number || !t.is_integer)
      fail("expected an integer, got " + describe_token(t), t.where);
    return negative ? -t.integer : t.integer;
  }

  Frame& push_frame(Frame::Kind kind, const Location& open) {
    Frame f;
    f.kind = kind;
    f.ops_base = ops_.size();
    f.operands_base = operands_.size();
    f.open = open;
    frames_.push_back(std::move(f));
    return frames_.back();
  }

  // A complete operand: the unary minuses just before it apply first (they bind tightest).
  void push_operand(NodeId x) {
    while (ops_.size() > frames_.back().ops_base && ops_.back().negate) {
      const Location where = ops_.back().where;
      ops_.pop_back();
      Node& inner = program_.nodes[x];
      if (inner.kind == NodeKind::number && x + 1 == program_.nodes.size()) {
        inner.number = -inner.number;  // a negative literal stays a constant
        continue;
      }
      const NodeId n = add_node(NodeKind::negate, where);
      program_.nodes[n].lhs = x;
      x = n;
    }
    operands_.push_back(x);
  }

  // Applies the binary operator on top to the two operands on top.
  void reduce() {
    const PendingOp op = ops_.back();
    ops_.pop_back();
    const NodeId rhs = operands_.back();
    operands_.pop_back();
    const NodeId lhs = operands_.back();
    const NodeId n = add_node(NodeKind::binary, op.where);
    program_.nodes[n].op = op.op;
    program_.nodes[n].lhs = lhs;
    program_.nodes[n].rhs = rhs;
    operands_.back() = n;
  }

  // Reduces what is left of the top frame's expression and returns (pops) its value.
  NodeId finish_frame() {
    while (ops_.size() > frames_.back().ops_base) reduce();
    const NodeId root = operands_.back();
    operands_.pop_back();
    return root;
  }

  NodeId add_node(NodeKind kind, const Location& where, double number = 0) {
    Node n;
    n.kind = kind;
    n.where = where;
    n.number = number;
    program_.nodes.push_back(n);
    return static_cast<NodeId>(program_.nodes.size() - 1);
  }

  SymbolId intern(std::string_view name) {
    auto [it, inserted] =
        symbol_ids_.try_emplace(name, static_cast<SymbolId>(program_.symbols.size()));
    if (inserted) program_.symbols.emplace_back(name);
    return it->second;
  }

  Lexer lexer_;
  Program program_;
  std::unordered_map<std::string_view, SymbolId> symbol_ids_;  // views into the source
  std::vector<Frame> frames_;
  std::vector<PendingOp> ops_;
  std::vector<NodeId> operands_;
};

}  // namespace

Program parse_program(std::string_view source) {
  return Parser(source).run();
}

}  // namespace dagrad::cli

// The tool's library (dagrad_cli_lib) tested directly: the parser's tree, the lexer's
// positions, excerpts, JSON in and out, and the evaluator with a user-registered op.
#include <cmath>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dagrad/core/autograd.hpp>
#include <dagrad/core/error.hpp>
#include <dagrad/core/registry.hpp>
#include <dagrad/ops/ops.hpp>
#include <dagrad/tools/cli/diagnostics.hpp>
#include <dagrad/tools/cli/evaluator.hpp>
#include <dagrad/tools/cli/help.hpp>
#include <dagrad/tools/cli/json_io.hpp>
#include <dagrad/tools/cli/lexer.hpp>
#include <dagrad/tools/cli/parser.hpp>

namespace dagrad::cli {
namespace {

using ::testing::HasSubstr;

// The tree under node `id` as a string: (op lhs rhs), -x, f(args; keywords), names, numbers.
std::string show(const Program& p, NodeId id) {
  const Node& n = p.nodes[id];
  switch (n.kind) {
    case NodeKind::number: {
      std::ostringstream s;
      s << n.number;
      return s.str();
    }
    case NodeKind::name:
      return p.symbols[n.symbol];
    case NodeKind::negate:
      return "-" + show(p, n.lhs);
    case NodeKind::binary:
      return std::string("(") + op_name(n.op) + " " + show(p, n.lhs) + " " + show(p, n.rhs) + ")";
    case NodeKind::call: {
      const Call& c = p.calls[n.call];
      std::string s = p.symbols[c.function] + "(";
      for (std::size_t i = 0; i < c.args.size(); ++i) s += (i ? " " : "") + show(p, c.args[i]);
      for (const Keyword& k : c.keywords) s += "; " + k.name;
      return s + ")";
    }
  }
  return "?";
}

std::string tree(const std::string& source) {
  const Program p = parse_program(source);
  return show(p, p.statements.back().root);
}

TEST(CliParser, PrecedenceAndGrouping) {
  EXPECT_EQ(tree("-x @ W + b"), "(add (matmul -x W) b)");
  EXPECT_EQ(tree("a - b - c"), "(sub (sub a b) c)");
  EXPECT_EQ(tree("a - (b - c)"), "(sub a (sub b c))");
  EXPECT_EQ(tree("a * b @ c / d"), "(div (matmul (mul a b) c) d)");
  EXPECT_EQ(tree("a + b * c - d"), "(sub (add a (mul b c)) d)");
  EXPECT_EQ(tree("-(a + b)"), "-(add a b)");
  EXPECT_EQ(tree("- - a"), "--a");
  EXPECT_EQ(tree("a * -b"), "(mul a -b)");
  EXPECT_EQ(tree("f(a + b, g(c), axis=1,)"), "f((add a b) g(c); axis)");
  EXPECT_EQ(tree("f()"), "f()");
}

TEST(CliParser, NegativeLiteralsStayConstants) {
  const Program p = parse_program("-2.5");
  ASSERT_EQ(p.nodes.size(), 1u);
  EXPECT_EQ(p.nodes[0].kind, NodeKind::number);
  EXPECT_EQ(p.nodes[0].number, -2.5);
  EXPECT_EQ(tree("x - -1"), "(sub x -1)");
}

TEST(CliParser, NodesAreFlatOperandsFirstStatementsContiguous) {
  const Program p = parse_program("h = x @ W; h = sigmoid(h) * h\nsum(h, axis=0)");
  ASSERT_EQ(p.statements.size(), 3u);
  NodeId next = 0;
  for (const Statement& s : p.statements) {
    EXPECT_EQ(s.first, next);
    for (NodeId id = s.first; id <= s.root; ++id) {
      const Node& n = p.nodes[id];
      if (n.kind == NodeKind::binary || n.kind == NodeKind::negate) {
        EXPECT_GE(n.lhs, s.first);
        EXPECT_LT(n.lhs, id);
      }
      if (n.kind == NodeKind::binary) {
        EXPECT_LT(n.rhs, id);
      }
      if (n.kind == NodeKind::call) {
        for (NodeId a : p.calls[n.call].args) EXPECT_LT(a, id);
      }
    }
    next = s.root + 1;
  }
  EXPECT_EQ(next, p.nodes.size());
  EXPECT_TRUE(p.statements[0].has_target);
  EXPECT_EQ(p.symbols[p.statements[1].target], "h");
  EXPECT_FALSE(p.statements[2].has_target);
  // Every name is interned once.
  int h_count = 0;
  for (const std::string& s : p.symbols) h_count += s == "h";
  EXPECT_EQ(h_count, 1);
}

TEST(CliParser, KeywordValues) {
  const Program p = parse_program("f(x, a=1, b=-2, c=0.5, d=true, e=false, l=[1, -2], m=[])");
  const Call& c = p.calls.at(0);
  ASSERT_EQ(c.keywords.size(), 7u);
  EXPECT_EQ(std::get<std::int64_t>(c.keywords[0].value), 1);
  EXPECT_EQ(std::get<std::int64_t>(c.keywords[1].value), -2);
  EXPECT_EQ(std::get<double>(c.keywords[2].value), 0.5);
  EXPECT_EQ(std::get<bool>(c.keywords[3].value), true);
  EXPECT_EQ(std::get<bool>(c.keywords[4].value), false);
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(c.keywords[5].value),
            (std::vector<std::int64_t>{1, -2}));
  EXPECT_TRUE(std::get<std::vector<std::int64_t>>(c.keywords[6].value).empty());
}

TEST(CliParser, SyntaxErrorCarriesItsPosition) {
  try {
    parse_program("a = 1\nb = (a +\n  * 2)\nb");
    FAIL() << "no SyntaxError";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.where().line, 3u);
    EXPECT_EQ(e.where().column, 3u);
    EXPECT_EQ(e.message(), "expected an expression, got '*'");
  }
}

TEST(CliParser, MillionOpenParenthesesIsAnErrorNotAStackOverflow) {
  EXPECT_THROW(parse_program(std::string(1000000, '(')), SyntaxError);
  EXPECT_THROW(parse_program(std::string(1000000, '-')), SyntaxError);
}

TEST(CliLexer, ColumnsCountCharactersAndNewlinesInsideBracketsAreBlank) {
  Lexer lexer("# ü\nf(é");
  EXPECT_EQ(lexer.next().kind, TokenKind::end_statement);  // the comment's line ends
  const Token f = lexer.next();
  EXPECT_EQ(f.kind, TokenKind::name);
  EXPECT_EQ(f.where.line, 2u);
  EXPECT_EQ(f.where.column, 1u);
  EXPECT_EQ(lexer.next().kind, TokenKind::lparen);
  EXPECT_THROW(lexer.next(), SyntaxError);  // 'é' starts no token

  Lexer after("ab = ü");
  EXPECT_EQ(after.next().where.column, 1u);
  EXPECT_EQ(after.next().where.column, 4u);
  try {
    after.next();
    FAIL();
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.where().column, 6u);
    EXPECT_EQ(e.message(), "unexpected character byte 0xC3");
  }

  Lexer inside("(a\n+ b)\nc");
  std::vector<TokenKind> kinds;
  for (Token t = inside.next(); t.kind != TokenKind::end; t = inside.next())
    kinds.push_back(t.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::lparen, TokenKind::name, TokenKind::plus,
                                           TokenKind::name, TokenKind::rparen,
                                           TokenKind::end_statement, TokenKind::name}));
}

TEST(CliLexer, Numbers) {
  Lexer lexer("12 0.5 .25 1e3 2. 99999999999999999999");
  Token t = lexer.next();
  EXPECT_TRUE(t.is_integer);
  EXPECT_EQ(t.integer, 12);
  for (double want : {0.5, 0.25, 1000.0, 2.0}) {
    t = lexer.next();
    EXPECT_FALSE(t.is_integer);
    EXPECT_EQ(t.number, want);
  }
  t = lexer.next();
  EXPECT_FALSE(t.is_integer);  // too big for int64, still a number
  EXPECT_EQ(t.number, 1e20);
  EXPECT_THROW(Lexer("1e999").next(), SyntaxError);
}

TEST(CliDiagnostics, ExcerptKeepsTabsAndCutsLongLines) {
  Location at;
  at.offset = 7;
  EXPECT_EQ(excerpt("a\n\tb + $ c\nd", at), "\tb + $ c\n\t    ^");
  const std::string long_line = std::string(100, 'a') + "$" + std::string(100, 'b');
  at.offset = 100;
  EXPECT_EQ(excerpt(long_line, at), "..." + std::string(60, 'a') + "$" + std::string(59, 'b') +
                                        "...\n" + std::string(63, ' ') + "^");
  at.offset = 0;
  EXPECT_EQ(excerpt("", at), "\n^");
}

TEST(CliJson, NestedListsAndObjects) {
  InputValue v = parse_input("x", "[[1, 2, 3], [4, 5, 6]]");
  EXPECT_EQ(v.shape, (Shape{2, 3}));
  EXPECT_EQ(v.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  v = parse_input("x", R"({"data": [1, "nan", "inf", "-inf"], "shape": [2, 2]})");
  EXPECT_EQ(v.shape, (Shape{2, 2}));
  EXPECT_TRUE(std::isnan(v.values[1]));
  EXPECT_EQ(v.values[2], INFINITY);
  EXPECT_EQ(v.values[3], -INFINITY);
  v = parse_input("x", "[[], []]");
  EXPECT_EQ(v.shape, (Shape{2, 0}));
  EXPECT_THROW(parse_input("x", "[[], [1]]"), ShapeError);
  EXPECT_THROW(parse_input("x", std::string(100, '[') + std::string(100, ']')), ShapeError);
  try {
    parse_input("weights", "{");
    FAIL();
  } catch (const ValueError& e) {
    EXPECT_THAT(e.what(), HasSubstr("input 'weights': malformed JSON"));
  }
}

TEST(CliJson, WritingNumbersAndNesting) {
  std::ostringstream os;
  write_number(os, 0.1, DType::f64, NumberStyle::json);
  os << ' ';
  write_number(os, 0.1f, DType::f32, NumberStyle::json);
  os << ' ';
  write_number(os, NAN, DType::f64, NumberStyle::json);
  os << ' ';
  write_number(os, -INFINITY, DType::f64, NumberStyle::plain);
  os << ' ';
  write_number(os, 42, DType::i64, NumberStyle::json);
  EXPECT_EQ(os.str(), "0.10000000000000001 0.100000001 \"nan\" -inf 42");

  const Tensor t = tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, DType::f64);
  std::ostringstream flat, rows;
  write_nested(flat, t, NumberStyle::json);
  write_nested(rows, t, NumberStyle::plain, true);
  EXPECT_EQ(flat.str(), "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]");
  EXPECT_EQ(rows.str(), "[[[1, 2],\n  [3, 4]],\n [[5, 6],\n  [7, 8]]]");
}

// A user-registered op, called by name from a program like the built-ins.
const OpDef& scale_op() {
  static const OpDef& op = []() -> const OpDef& {
    OpDef def;
    def.name = "cli_test_scale";
    def.doc = "x times by=NUMBER (a test op)";
    def.keywords = {"by"};
    def.infer = [](std::span<const Tensor> in, const Attrs&) {
      return TensorMeta{in[0].shape(), in[0].dtype()};
    };
    def.forward = [](std::span<const Tensor> in, const Attrs& attrs) {
      return mul(in[0], scalar(attrs.get("by", 1.0), in[0].dtype()));
    };
    def.vjp = [](const VjpArgs& a) {
      return std::vector<Tensor>{
          mul(a.grad_output, scalar(a.attrs.get("by", 1.0), a.grad_output.dtype()))};
    };
    return register_op(std::move(def));
  }();
  return op;
}

TEST(CliEvaluator, CallsUserRegisteredOps) {
  scale_op();
  Evaluator ev({{"x", parse_input("x", "[1, 2]")}}, DType::f64, {"x"});
  const Tensor out = ev.run(parse_program("y = cli_test_scale(x, by=3); sum(y * y)"));
  EXPECT_DOUBLE_EQ(out.item(), 9 + 36);
  out.backward();
  EXPECT_EQ(ev.input("x")->grad().to_vector(), (std::vector<double>{18, 36}));
  ASSERT_NE(ev.binding("y"), nullptr);
  EXPECT_EQ(ev.binding("y")->to_vector(), (std::vector<double>{3, 6}));
  EXPECT_EQ(ev.binding("x"), nullptr);
  EXPECT_THAT(ops_help(), HasSubstr("cli_test_scale(x, by=)"));
  EXPECT_THAT(ops_help(), HasSubstr("x times by=NUMBER (a test op)"));
}

TEST(CliEvaluator, LabelInputsAreInt64OnlyWhereLabelsGo) {
  Evaluator ev({{"z", parse_input("z", "[[1, 2, 3]]")}, {"y", parse_input("y", "[2]")}}, DType::f32,
               {"z", "y"});
  const Tensor out = ev.run(parse_program("cross_entropy(z, y)"));
  EXPECT_EQ(out.dtype(), DType::f32);
  EXPECT_TRUE(ev.used_as_labels("y"));
  EXPECT_FALSE(ev.used_as_labels("z"));
  EXPECT_EQ(ev.input("y")->dtype(), DType::f32);
}

TEST(CliEvaluator, ErrorsAreLocatedAtTheFailingNode) {
  Evaluator ev({{"x", parse_input("x", "[1, 2]")}}, DType::f32, {});
  try {
    ev.run(parse_program("a = x\nb = reshape(a, shape=[3])\nb"));
    FAIL();
  } catch (const ProgramError& e) {
    EXPECT_THAT(e.what(), HasSubstr("reshape: cannot reshape [2]"));
    EXPECT_EQ(e.where().line, 2u);
    EXPECT_EQ(e.where().column, 5u);
  }
}

}  // namespace
}  // namespace dagrad::cli

// unparse-from-cpython: rebuilds trees that CPython's own parser produced
// (serialized by unparse_roundtrip.py) and unparses them. It tests the
// unparser on its own, whatever state our parser is in.
//
// Input (stdin): whitespace-separated tokens, one tree per file, each followed
// by `END`. A node is `N Kind lineno col end_lineno end_col` and then its fields
// in ASDL order: a child node or `-` (none), `L count items...` for lists,
// `S hex` for strings (UTF-8, hex so that no escaping is needed), `I n` for
// ints, `O Name` for operators, `C kind payload` for constants.
// Output (stdout): each tree's source followed by a line holding only "\x01".
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unordered_map>

#include "converter/ast/ast.h"
#include "converter/unparse/unparse.h"

namespace {

using namespace xag::ast;

struct Reader {
  std::istream& in;
  Tree& tree;
  std::unordered_map<std::string, NodeKind> kinds;
  std::unordered_map<std::string, Op> ops;

  Reader(std::istream& i, Tree& t) : in(i), tree(t) {
    for (int k = 0; k < kNumNodeKinds; ++k) kinds[kind_name(NodeKind(k))] = NodeKind(k);
    for (int o = 0; o <= int(Op::NotIn); ++o) ops[op_name(Op(o))] = Op(o);
  }
  std::string word() {
    std::string w;
    in >> w;
    return w;
  }
  static std::string unhex(const std::string& h) {
    std::string s;
    for (size_t i = 0; i + 1 < h.size(); i += 2) s += char(std::stoi(h.substr(i, 2), nullptr, 16));
    return s;
  }
  StrId str() {
    std::string w = word();  // "S" or "-"
    if (w == "-") return StrId{};
    std::string h = word();
    return tree.intern(h == "_" ? "" : unhex(h));
  }
  Op op() {
    word();  // O
    return ops.at(word());
  }
  NodeId node() { return node_from(word()); }
  NodeId node_from(const std::string& w) {
    if (w == "-") return kNoNode;
    if (w != "N") {
      std::fprintf(stderr, "bad token %s\n", w.c_str());
      std::exit(2);
    }
    NodeKind k = kinds.at(word());
    Pos p;
    in >> p.lineno >> p.col_offset >> p.end_lineno >> p.end_col_offset;
    NodeId n = tree.make(k, p);
    for (Field f : Tree::fields(k)) field(n, f);
    return n;
  }
  void field(NodeId n, Field f) {
    switch (field_info(f).type) {
      case FieldType::Node:
      case FieldType::OptNode:
        tree.set_node(n, f, node());
        return;
      case FieldType::Nodes: {
        word();  // L
        int count = std::stoi(word());
        std::vector<NodeId> items;
        for (int i = 0; i < count; ++i) items.push_back(node());
        tree.set_list(n, f, items);
        return;
      }
      case FieldType::Ident:
      case FieldType::OptIdent:
      case FieldType::OptStr:
        tree.set_str(n, f, str());
        return;
      case FieldType::Idents: {
        word();
        int count = std::stoi(word());
        std::vector<StrId> items;
        for (int i = 0; i < count; ++i) items.push_back(str());
        tree.set_idents(n, f, Span<StrId>{items.data(), uint32_t(items.size())});
        return;
      }
      case FieldType::Int:
      case FieldType::OptInt: {
        std::string w = word();
        tree.set_int(n, f, w == "-" ? 0 : std::stoll(word()));
        return;
      }
      case FieldType::Const: {
        word();  // C
        std::string kind = word();
        Constant c;
        if (kind == "None") c.kind = ConstKind::None;
        if (kind == "True") c.kind = ConstKind::True;
        if (kind == "False") c.kind = ConstKind::False;
        if (kind == "Ellipsis") c.kind = ConstKind::Ellipsis;
        if (kind == "Int") c.kind = ConstKind::Int, c.text = tree.keep(word());
        if (kind == "Float")
          c.kind = ConstKind::Float, c.number = std::strtod(word().c_str(), nullptr);
        if (kind == "Complex")
          c.kind = ConstKind::Complex, c.number = std::strtod(word().c_str(), nullptr);
        if (kind == "Str" || kind == "Bytes") {
          c.kind = kind == "Str" ? ConstKind::Str : ConstKind::Bytes;
          std::string h = word();
          c.text = tree.keep(h == "_" ? "" : unhex(h));
        }
        tree.set_constant(n, f, c);
        return;
      }
      case FieldType::CmpOps: {
        word();
        int count = std::stoi(word());
        std::vector<Op> items;
        for (int i = 0; i < count; ++i) items.push_back(op());
        tree.set_ops(n, f, Span<Op>{items.data(), uint32_t(items.size())});
        return;
      }
      default:
        tree.set_op(n, f, op());
        return;
    }
  }
};

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  while (true) {
    Tree tree;
    Reader r(std::cin, tree);
    std::string first = r.word();
    if (first.empty()) break;
    if (first == "END") continue;
    NodeId root = r.node_from(first);
    if (r.word() != "END") return 2;
    std::cout << xag::unparse::unparse(tree, root) << "\n\x01\n";
  }
  return 0;
}

// The Python abstract syntax tree: compact handles into arrays owned by a Tree.
//
// A node is a NodeId (an index). Its kind, source position and fields live in
// arrays inside the Tree, never in heap objects, so a whole module is a handful
// of allocations and trees are cheap to build, copy and throw away. Node kinds
// and fields come from node_kinds.def (CPython's ASDL, in ASDL field order).
//
// Reading:   tree.kind(n), tree.pos(n), tree.node(n, Field::If_test),
//            tree.list(n, Field::If_body), tree.ident(n, Field::Name_id),
//            tree.op(n, Field::BinOp_op), tree.constant(n, Field::Constant_value).
// Generic:   Tree::fields(kind) lists a kind's fields in ASDL order;
//            field_info(f) gives name, type and owner; find_field(kind, "body").
//            for_each_child(tree, n, fn) visits child nodes in field order.
// Building:  NodeId n = tree.make(NodeKind::Name, pos);
//            tree.set_ident(n, Field::Name_id, tree.intern("x"));
//            tree.set_op(n, Field::Name_ctx, Op::Load);
//            tree.set_list(n, Field::If_body, {a, b});
//            Copy positions from the node being replaced so errors keep
//            pointing at what the user wrote.
#pragma once

#include <cassert>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xag::ast {

enum class NodeKind : uint8_t {
#define XAG_NODE(Name, Category, HasAttributes) Name,
#include "converter/ast/node_kinds.def"
};
inline constexpr int kNumNodeKinds = 0
#define XAG_NODE(Name, Category, HasAttributes) +1
#include "converter/ast/node_kinds.def"
    ;

// The ASDL sum type a node kind belongs to.
enum class Category : uint8_t {
  Mod,
  Stmt,
  Expr,
  ExceptHandler,
  Arguments,
  Arg,
  Keyword,
  Alias,
  WithItem,
  MatchCase,
  Pattern,
  Comprehension,
  TypeIgnore,
};

// Every value of expr_context, boolop, operator, unaryop and cmpop.
enum class Op : uint8_t {
#define XAG_ENUM(Enum, Name) Name,
#include "converter/ast/node_kinds.def"
};

enum class FieldType : uint8_t {
  Node,
  OptNode,
  Nodes,
  Ident,
  OptIdent,
  Idents,
  Int,
  OptInt,
  Const,
  OptStr,
  Ctx,
  BoolOpT,
  OperatorT,
  UnaryOpT,
  CmpOps,
};

// One (node kind, field) pair, e.g. Field::FunctionDef_body.
enum class Field : uint16_t {
#define XAG_FIELD(Node, Name, Type) Node##_##Name,
#include "converter/ast/node_kinds.def"
};
inline constexpr int kNumFields = 0
#define XAG_FIELD(Node, Name, Type) +1
#include "converter/ast/node_kinds.def"
    ;

struct FieldInfo {
  const char* name;  // Python spelling: "body", "orelse"
  FieldType type;
  NodeKind owner;
  uint8_t slot;  // index among the owner's fields
};

// Field infos with the slot index filled in by counting fields per owner,
// computed at compile time so that the accessors every pass calls for every
// node (field_info, Tree::fields, Tree::node, Tree::list) inline to a load.
namespace detail {
struct FieldTables {
  FieldInfo infos[kNumFields];
  Field order[kNumFields];
  uint16_t first[kNumNodeKinds];
  uint8_t count[kNumNodeKinds];
};
constexpr FieldTables make_field_tables() {
  FieldTables r{};
  int i = 0;
#define XAG_FIELD(Node, Name, Type) \
  r.infos[i] = FieldInfo{#Name, FieldType::Type, NodeKind::Node, 0}, ++i;
#include "converter/ast/node_kinds.def"
  for (int f = 0; f < kNumFields; ++f) {
    int k = static_cast<int>(r.infos[f].owner);
    if (r.count[k] == 0) r.first[k] = static_cast<uint16_t>(f);
    r.infos[f].slot = r.count[k]++;
    r.order[f] = static_cast<Field>(f);
  }
  return r;
}
inline constexpr FieldTables kFieldTables = make_field_tables();
}  // namespace detail

inline const FieldInfo& field_info(Field f) {
  return detail::kFieldTables.infos[static_cast<int>(f)];
}

const char* kind_name(NodeKind k);
Category kind_category(NodeKind k);
// True when CPython gives the kind lineno/col_offset/end_lineno/end_col_offset.
bool kind_has_attributes(NodeKind k);
const char* op_name(Op op);

// A read-only view of a contiguous array; valid until the Tree is next mutated.
template <typename T>
struct Span {
  const T* ptr = nullptr;
  uint32_t count = 0;
  const T* begin() const { return ptr; }
  const T* end() const { return ptr + count; }
  uint32_t size() const { return count; }
  bool empty() const { return count == 0; }
  const T& operator[](uint32_t i) const { return ptr[i]; }
};

struct NodeId {
  static constexpr uint32_t kNoneIndex = 0xffffffffu;
  uint32_t index = kNoneIndex;
  constexpr bool valid() const { return index != kNoneIndex; }
  constexpr explicit operator bool() const { return valid(); }
  friend constexpr bool operator==(NodeId a, NodeId b) { return a.index == b.index; }
  friend constexpr bool operator!=(NodeId a, NodeId b) { return a.index != b.index; }
};
inline constexpr NodeId kNoNode{};

// An interned string (identifier, constant text) owned by or viewing into a Tree.
struct StrId {
  static constexpr uint32_t kNoneIndex = 0xffffffffu;
  uint32_t index = kNoneIndex;
  constexpr bool valid() const { return index != kNoneIndex; }
};

// Source positions in CPython's units: 1-based lines, 0-based UTF-8 byte columns.
struct Pos {
  int32_t lineno = 0;
  int32_t col_offset = 0;
  int32_t end_lineno = 0;
  int32_t end_col_offset = 0;
};

enum class ConstKind : uint8_t { None, True, False, Ellipsis, Int, Float, Complex, Str, Bytes };

// A literal value with enough information to print Python's repr() exactly.
struct Constant {
  ConstKind kind = ConstKind::None;
  // Int: decimal digits, normalized (no prefix, underscores or leading zeros).
  // Str: the decoded value as UTF-8 (lone surrogates encoded like UTF-8, "WTF-8").
  // Bytes: the decoded byte values.
  std::string_view text;
  // Float: the value; Complex: the imaginary part (the real part is always 0).
  double number = 0.0;
};

// Python's repr() of a constant: 'a\n', b'\x00', 1e+16, 3j, None, Ellipsis.
std::string constant_repr(const Constant& c);

class Tree {
 public:
  Tree() = default;
  // The tree keeps the (UTF-8) source alive: identifiers view into it.
  explicit Tree(std::string source);
  Tree(Tree&&) = default;
  Tree& operator=(Tree&&) = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  std::string_view source() const { return *source_; }
  NodeId root() const { return root_; }
  void set_root(NodeId n) { root_ = n; }
  uint32_t num_nodes() const { return static_cast<uint32_t>(nodes_.size()); }

  // ---- reading ----
  NodeKind kind(NodeId n) const { return nodes_[n.index].kind; }
  const Pos& pos(NodeId n) const { return nodes_[n.index].pos; }
  static Span<Field> fields(NodeKind k) {
    const detail::FieldTables& t = detail::kFieldTables;
    int i = static_cast<int>(k);
    return Span<Field>{t.order + t.first[i], t.count[i]};
  }
  static std::optional<Field> find_field(NodeKind k, std::string_view name);

  NodeId node(NodeId n, Field f) const { return NodeId{slot(n, f)}; }
  Span<NodeId> list(NodeId n, Field f) const {
    uint32_t l = slot(n, f);
    if (l == 0xffffffffu) return {};
    const ListRec& r = lists_[l];
    return Span<NodeId>{reinterpret_cast<const NodeId*>(items_.data() + r.begin), r.count};
  }
  // Identifier or optional string fields; has_str() is false for None.
  bool has_str(NodeId n, Field f) const { return slot(n, f) != StrId::kNoneIndex; }
  std::string_view str(NodeId n, Field f) const { return strings_[slot(n, f)]; }
  std::string_view ident(NodeId n, Field f) const { return str(n, f); }
  // Idents fields (Global.names, MatchClass.kwd_attrs).
  Span<StrId> idents(NodeId n, Field f) const;
  int64_t int_value(NodeId n, Field f) const { return static_cast<int32_t>(slot(n, f)); }
  Op op(NodeId n, Field f) const { return static_cast<Op>(slot(n, f)); }
  Span<Op> ops(NodeId n, Field f) const;  // CmpOps
  const Constant& constant(NodeId n, Field f) const { return consts_[slot(n, f)]; }
  std::string_view string(StrId s) const { return strings_[s.index]; }

  // ---- building ----
  // A new node: child fields none, lists empty, ints 0, strings none.
  NodeId make(NodeKind k, const Pos& pos);
  // How many nodes were ever made without a position (lineno 0): while this
  // stays the same, no new node can be missing one (see Transformer::stmt).
  uint64_t unpositioned_made() const { return unpositioned_made_; }
  void set_pos(NodeId n, const Pos& pos) { nodes_[n.index].pos = pos; }
  void set_node(NodeId n, Field f, NodeId child) { slot_ref(n, f) = child.index; }
  void set_list(NodeId n, Field f, Span<NodeId> items);
  void set_list(NodeId n, Field f, std::initializer_list<NodeId> items);
  void set_list(NodeId n, Field f, const std::vector<NodeId>& items);
  void set_str(NodeId n, Field f, StrId s) { slot_ref(n, f) = s.index; }
  void set_ident(NodeId n, Field f, StrId s) { set_str(n, f, s); }
  void set_idents(NodeId n, Field f, Span<StrId> items);
  void set_int(NodeId n, Field f, int64_t v) { slot_ref(n, f) = static_cast<uint32_t>(v); }
  void set_op(NodeId n, Field f, Op op) { slot_ref(n, f) = static_cast<uint32_t>(op); }
  void set_ops(NodeId n, Field f, Span<Op> ops);
  void set_constant(NodeId n, Field f, const Constant& c);

  // A string that lives as long as the tree. view_source() is free when the
  // text already is a piece of source(); intern() copies.
  StrId view_source(std::string_view text);
  StrId intern(std::string_view text);
  // Copies text into tree-owned storage and returns a stable view of it.
  std::string_view keep(std::string_view text);

  // Shrinks the arrays back to an earlier size (parser backtracking).
  struct Mark {
    uint32_t nodes, slots, lists, items, consts, op_lists, op_items, strings;
  };
  Mark mark() const;
  void rewind(const Mark& m);

 private:
  struct NodeRec {
    NodeKind kind;
    uint32_t first_slot;
    Pos pos;
  };
  struct ListRec {
    uint32_t begin, count;
  };
  uint32_t slot(NodeId n, Field f) const {
    const FieldInfo& fi = field_info(f);
    assert(nodes_[n.index].kind == fi.owner);
    return slots_[nodes_[n.index].first_slot + fi.slot];
  }
  uint32_t& slot_ref(NodeId n, Field f) {
    const FieldInfo& fi = field_info(f);
    assert(nodes_[n.index].kind == fi.owner);
    return slots_[nodes_[n.index].first_slot + fi.slot];
  }
  uint32_t add_list(const uint32_t* data, uint32_t count);

  std::unique_ptr<std::string> source_ = std::make_unique<std::string>();
  NodeId root_;
  std::vector<NodeRec> nodes_;
  uint64_t unpositioned_made_ = 0;
  std::vector<uint32_t> slots_;
  std::vector<ListRec> lists_;
  std::vector<uint32_t> items_;
  std::vector<std::string_view> strings_;
  std::vector<Constant> consts_;
  std::vector<ListRec> op_lists_;  // CmpOps lists index op_items_
  std::vector<Op> op_items_;
  std::deque<std::string> owned_;  // deque: growing never moves earlier strings
};

// Calls fn(NodeId child) for each child node of n in ASDL field order,
// skipping absent optional children (and none entries inside lists).
template <typename Fn>
void for_each_child(const Tree& t, NodeId n, Fn&& fn) {
  for (Field f : Tree::fields(t.kind(n))) {
    switch (field_info(f).type) {
      case FieldType::Node:
      case FieldType::OptNode:
        if (NodeId c = t.node(n, f)) fn(c);
        break;
      case FieldType::Nodes:
        for (NodeId c : t.list(n, f))
          if (c) fn(c);
        break;
      default:
        break;
    }
  }
}

}  // namespace xag::ast

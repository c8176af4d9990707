// Tables generated from node_kinds.def and the Tree's storage operations.
#include "converter/ast/ast.h"

#include <cassert>
#include <cstring>

namespace xag::ast {
namespace {

struct KindInfo {
  const char* name;
  Category category;
  bool has_attributes;
};

constexpr KindInfo kKinds[] = {
#define XAG_NODE(Name, Cat, HasAttributes) {#Name, Category::Cat, HasAttributes},
#include "converter/ast/node_kinds.def"
};

constexpr const char* kOpNames[] = {
#define XAG_ENUM(Enum, Name) #Name,
#include "converter/ast/node_kinds.def"
};

uint32_t default_slot(FieldType t) {
  switch (t) {
    case FieldType::Int:
    case FieldType::OptInt:
    case FieldType::Ctx:
    case FieldType::BoolOpT:
    case FieldType::OperatorT:
    case FieldType::UnaryOpT:
      return 0;
    default:
      return 0xffffffffu;  // none node / none string / empty list
  }
}

}  // namespace

const char* kind_name(NodeKind k) {
  return kKinds[static_cast<int>(k)].name;
}
Category kind_category(NodeKind k) {
  return kKinds[static_cast<int>(k)].category;
}
bool kind_has_attributes(NodeKind k) {
  return kKinds[static_cast<int>(k)].has_attributes;
}
const char* op_name(Op op) {
  return kOpNames[static_cast<int>(op)];
}
Tree::Tree(std::string source) : source_(std::make_unique<std::string>(std::move(source))) {}

std::optional<Field> Tree::find_field(NodeKind k, std::string_view name) {
  for (Field f : fields(k))
    if (name == field_info(f).name) return f;
  return std::nullopt;
}

NodeId Tree::make(NodeKind k, const Pos& pos) {
  NodeId id{static_cast<uint32_t>(nodes_.size())};
  nodes_.push_back(NodeRec{k, static_cast<uint32_t>(slots_.size()), pos});
  if (pos.lineno == 0) ++unpositioned_made_;
  for (Field f : fields(k)) slots_.push_back(default_slot(field_info(f).type));
  return id;
}

uint32_t Tree::add_list(const uint32_t* data, uint32_t count) {
  if (count == 0) return 0xffffffffu;
  uint32_t id = static_cast<uint32_t>(lists_.size());
  lists_.push_back(ListRec{static_cast<uint32_t>(items_.size()), count});
  items_.insert(items_.end(), data, data + count);
  return id;
}

Span<StrId> Tree::idents(NodeId n, Field f) const {
  uint32_t l = slot(n, f);
  if (l == 0xffffffffu) return {};
  const ListRec& r = lists_[l];
  return Span<StrId>{reinterpret_cast<const StrId*>(items_.data() + r.begin), r.count};
}

Span<Op> Tree::ops(NodeId n, Field f) const {
  uint32_t l = slot(n, f);
  if (l == 0xffffffffu) return {};
  const ListRec& r = op_lists_[l];
  return Span<Op>{op_items_.data() + r.begin, r.count};
}

void Tree::set_list(NodeId n, Field f, Span<NodeId> items) {
  slot_ref(n, f) = add_list(reinterpret_cast<const uint32_t*>(items.ptr), items.count);
}
void Tree::set_list(NodeId n, Field f, std::initializer_list<NodeId> items) {
  set_list(n, f, Span<NodeId>{items.begin(), static_cast<uint32_t>(items.size())});
}
void Tree::set_list(NodeId n, Field f, const std::vector<NodeId>& items) {
  set_list(n, f, Span<NodeId>{items.data(), static_cast<uint32_t>(items.size())});
}
void Tree::set_idents(NodeId n, Field f, Span<StrId> items) {
  slot_ref(n, f) = add_list(reinterpret_cast<const uint32_t*>(items.ptr), items.count);
}

void Tree::set_ops(NodeId n, Field f, Span<Op> ops) {
  if (ops.empty()) {
    slot_ref(n, f) = 0xffffffffu;
    return;
  }
  slot_ref(n, f) = static_cast<uint32_t>(op_lists_.size());
  op_lists_.push_back(ListRec{static_cast<uint32_t>(op_items_.size()), ops.size()});
  op_items_.insert(op_items_.end(), ops.begin(), ops.end());
}

void Tree::set_constant(NodeId n, Field f, const Constant& c) {
  slot_ref(n, f) = static_cast<uint32_t>(consts_.size());
  consts_.push_back(c);
}

StrId Tree::view_source(std::string_view text) {
  strings_.push_back(text);
  return StrId{static_cast<uint32_t>(strings_.size() - 1)};
}

std::string_view Tree::keep(std::string_view text) {
  owned_.emplace_back(text);
  return owned_.back();
}

StrId Tree::intern(std::string_view text) {
  return view_source(keep(text));
}

Tree::Mark Tree::mark() const {
  auto size = [](const auto& v) { return static_cast<uint32_t>(v.size()); };
  return Mark{size(nodes_),  size(slots_),    size(lists_),    size(items_),
              size(consts_), size(op_lists_), size(op_items_), size(strings_)};
}

void Tree::rewind(const Mark& m) {
  nodes_.resize(m.nodes);
  slots_.resize(m.slots);
  lists_.resize(m.lists);
  items_.resize(m.items);
  consts_.resize(m.consts);
  op_lists_.resize(m.op_lists);
  op_items_.resize(m.op_items);
  strings_.resize(m.strings);
}

}  // namespace xag::ast

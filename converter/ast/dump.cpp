// ast.dump(): the field-by-field printer, driven by node_kinds.def.
//
// CPython's rules: every field is printed as name=value, except optional
// fields (`?`) whose value is None, which are left out. Lists print as [...]
// (None entries as None). With include_attributes, the four position
// attributes follow the fields for the kinds that have them.
#include "converter/ast/dump.h"

namespace xag::ast {
namespace {

void dump_node(std::string& out, const Tree& t, NodeId n, bool attrs);

void dump_child(std::string& out, const Tree& t, NodeId c, bool attrs) {
  if (c)
    dump_node(out, t, c, attrs);
  else
    out += "None";
}

void append_int(std::string& out, int64_t v) {
  out += std::to_string(v);
}

void dump_node(std::string& out, const Tree& t, NodeId n, bool attrs) {
  NodeKind k = t.kind(n);
  out += kind_name(k);
  out += '(';
  bool first = true;
  auto sep = [&](const char* name) {
    if (!first) out += ", ";
    first = false;
    out += name;
    out += '=';
  };
  for (Field f : Tree::fields(k)) {
    const FieldInfo& fi = field_info(f);
    switch (fi.type) {
      case FieldType::Node:
        sep(fi.name);
        dump_child(out, t, t.node(n, f), attrs);
        break;
      case FieldType::OptNode:
        if (NodeId c = t.node(n, f)) {
          sep(fi.name);
          dump_node(out, t, c, attrs);
        }
        break;
      case FieldType::Nodes: {
        sep(fi.name);
        out += '[';
        bool first_item = true;
        for (NodeId c : t.list(n, f)) {
          if (!first_item) out += ", ";
          first_item = false;
          dump_child(out, t, c, attrs);
        }
        out += ']';
        break;
      }
      case FieldType::Ident:
      case FieldType::OptIdent:
      case FieldType::OptStr:
        if (t.has_str(n, f)) {
          sep(fi.name);
          Constant c;
          c.kind = ConstKind::Str;
          c.text = t.str(n, f);
          out += constant_repr(c);
        } else if (fi.type == FieldType::Ident) {
          sep(fi.name);
          out += "None";
        }
        break;
      case FieldType::Idents: {
        sep(fi.name);
        out += '[';
        bool first_item = true;
        for (StrId s : t.idents(n, f)) {
          if (!first_item) out += ", ";
          first_item = false;
          Constant c;
          c.kind = ConstKind::Str;
          c.text = t.string(s);
          out += constant_repr(c);
        }
        out += ']';
        break;
      }
      case FieldType::Int:
      case FieldType::OptInt:
        sep(fi.name);
        append_int(out, t.int_value(n, f));
        break;
      case FieldType::Const:
        sep(fi.name);
        out += constant_repr(t.constant(n, f));
        break;
      case FieldType::Ctx:
      case FieldType::BoolOpT:
      case FieldType::OperatorT:
      case FieldType::UnaryOpT:
        sep(fi.name);
        out += op_name(t.op(n, f));
        out += "()";
        break;
      case FieldType::CmpOps: {
        sep(fi.name);
        out += '[';
        bool first_item = true;
        for (Op op : t.ops(n, f)) {
          if (!first_item) out += ", ";
          first_item = false;
          out += op_name(op);
          out += "()";
        }
        out += ']';
        break;
      }
    }
  }
  if (attrs && kind_has_attributes(k)) {
    const Pos& p = t.pos(n);
    sep("lineno");
    append_int(out, p.lineno);
    sep("col_offset");
    append_int(out, p.col_offset);
    sep("end_lineno");
    append_int(out, p.end_lineno);
    sep("end_col_offset");
    append_int(out, p.end_col_offset);
  }
  out += ')';
}

}  // namespace

void dump_to(std::string& out, const Tree& tree, NodeId node, bool include_attributes) {
  dump_node(out, tree, node, include_attributes);
}

std::string dump(const Tree& tree, NodeId node, bool include_attributes) {
  std::string out;
  dump_to(out, tree, node, include_attributes);
  return out;
}

}  // namespace xag::ast

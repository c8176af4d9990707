#include "converter/transforms/namer.h"

namespace xag::transforms {

using ast::FieldType;
using ast::NodeId;

void Namer::reserve_all(const ast::Tree& t, NodeId root) {
  std::vector<NodeId> work{root};
  while (!work.empty()) {
    NodeId n = work.back();
    work.pop_back();
    for (ast::Field f : ast::Tree::fields(t.kind(n))) {
      switch (ast::field_info(f).type) {
        case FieldType::Ident:
        case FieldType::OptIdent:
          if (t.has_str(n, f)) reserve(t.str(n, f));
          break;
        case FieldType::Idents:
          for (auto s : t.idents(n, f)) reserve(t.string(s));
          break;
        default:
          break;
      }
    }
    ast::for_each_child(t, n, [&](NodeId c) { work.push_back(c); });
  }
}

std::string Namer::fresh(std::string_view base) {
  std::string b(base);
  int& n = next_[b];
  for (;; ++n) {
    std::string candidate = n == 0 ? b : b + "_" + std::to_string(n);
    if (used_.insert(candidate).second) {
      ++n;
      return candidate;
    }
  }
}

}  // namespace xag::transforms

// `del x` inside an if/while/for block:
//
//   if c:                       if c:
//       del x          ->           x = ag__.Undefined('x')
//
// The block becomes a body function (control_flow), where `del x` would
// delete that function's own x (UnboundLocalError, or nothing for the
// caller). A placeholder is what control_flow already passes around for a
// variable that is not defined: staging checks it like any other state, and
// later reads go through ag__.ld (registered here), which raises
// UnboundLocalError as Python does after a `del`. Attributes and items
// (`del d[k]`), globals and nonlocals stay as written.
#include "converter/analysis/ast_util.h"
#include "converter/transforms/passes.h"
#include "converter/transforms/templates.h"
#include "converter/transforms/transformer.h"

namespace xag::transforms::deletions {

namespace {

class Deletions : public Transformer {
 public:
  using Transformer::Transformer;

 protected:
  std::vector<NodeId> visit_stmt(NodeId s) override {
    NodeKind k = t_.kind(s);
    if (k == NodeKind::FunctionDef) {
      NodeId saved_fn = fn_;
      int saved_depth = depth_;
      fn_ = s;
      depth_ = 0;
      globals_[s.index];
      generic_visit(s);
      fn_ = saved_fn;
      depth_ = saved_depth;
      return {s};
    }
    if (k == NodeKind::ClassDef) return {s};
    if (k == NodeKind::Global || k == NodeKind::Nonlocal)  // deleted where they live
      for (auto id :
           t_.idents(s, k == NodeKind::Global ? Field::Global_names : Field::Nonlocal_names))
        globals_[fn_.index].insert(std::string(t_.string(id)));
    bool block = k == NodeKind::If || k == NodeKind::While || k == NodeKind::For;
    depth_ += block;
    generic_visit(s);
    depth_ -= block;
    if (k != NodeKind::Delete || depth_ == 0) return {s};
    return lower(s);
  }

 private:
  std::vector<NodeId> lower(NodeId s) {
    std::vector<NodeId> out, kept;
    Builder b(t_, s);
    for (NodeId target : analysis::copy_list(t_, s, Field::Delete_targets)) {
      std::string n = t_.kind(target) == NodeKind::Name
                          ? std::string(t_.ident(target, Field::Name_id))
                          : std::string();
      if (n.empty() || globals_[fn_.index].count(n)) {
        kept.push_back(target);
        continue;
      }
      ctx_.undefined_vars[fn_.index].insert(n);
      for (NodeId x : replace(b, "var = ag__.Undefined('var')\n", {{"var", Subst::name(n)}}))
        out.push_back(x);
    }
    if (kept.size() == t_.list(s, Field::Delete_targets).size()) return {s};
    if (!kept.empty()) {
      t_.set_list(s, Field::Delete_targets, kept);
      out.insert(out.begin(), s);
    }
    return out;
  }

  NodeId fn_;
  int depth_ = 0;
  std::unordered_map<uint32_t, std::set<std::string>> globals_;  // and nonlocals
};

}  // namespace

void transform(Tree& t, NodeId fn, Context& ctx) {
  run_on_function<Deletions>(t, fn, ctx);
}

}  // namespace xag::transforms::deletions

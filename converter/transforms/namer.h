// Fresh, readable names for generated code: `if_body`, then `if_body_1`,
// `if_body_2`, ... never colliding with a name the user wrote.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "converter/ast/ast.h"

namespace xag::transforms {

class Namer {
 public:
  // Reserves every identifier that appears in the tree under root.
  void reserve_all(const ast::Tree& t, ast::NodeId root);
  void reserve(std::string_view name) { used_.emplace(name); }
  // A name not used so far: base itself, else base_1, base_2, ...
  std::string fresh(std::string_view base);

 private:
  std::unordered_set<std::string> used_;
  std::unordered_map<std::string, int> next_;
};

}  // namespace xag::transforms

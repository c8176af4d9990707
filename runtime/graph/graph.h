// Graph IR: typed nodes in program order, functional Cond/While with owned subgraphs, tensor
// lists, ordered side effects (print, assert, variables). Graphs are built with GraphBuilder
// (builder.h), checked with verify(), rewritten by passes (passes.h) and lowered by compile()
// (runtime/exec/executor.h).
//
// Node order is execution order: the builder appends nodes in program order, every input is
// defined by an earlier node (or is a param), and side-effecting nodes are chained by control
// dependencies so no pass may reorder or drop them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/errors.h"
#include "runtime/core/tensor.h"
#include "runtime/graph/variable.h"
#include "runtime/ops/attrs.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

class Graph;
struct Node;
struct FusedProgram;  // runtime/graph/fused.h

// Where a node came from in the user's source. line 0 = unknown.
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;
  std::string source_line;  // the text of that line, for error messages

  bool known() const { return line > 0 || !file.empty(); }
  // "file:line" (or "" when unknown).
  std::string to_string() const;
};

// What a located error tells the user: a bad argument (ag.InvalidArgumentError), a broken
// tracing rule (ag.StagingError: branches that disagree, a loop variable changing dtype) or an
// op that could not get memory (MemoryError).
// A graph function nested deeper than kMaxCallDepth calls is ErrorKind::Recursion (Python's
// RecursionError).
enum class ErrorKind : uint8_t { InvalidArgument, Staging, OutOfMemory, Recursion };

// How deep graph functions may call each other while running (Python's default recursion limit).
inline constexpr int kMaxCallDepth = 1000;

// An InvalidArgumentError raised by a node with a known source location, at build or run time.
// what() is "<message> (<file>:<line>)"; bindings read loc() to point the traceback at it.
class LocatedError : public InvalidArgumentError {
 public:
  LocatedError(const std::string& message, SourceLoc loc,
               ErrorKind kind = ErrorKind::InvalidArgument);
  const std::string& message() const { return message_; }
  const SourceLoc& loc() const { return loc_; }
  ErrorKind kind() const { return kind_; }

 private:
  std::string message_;
  SourceLoc loc_;
  ErrorKind kind_;
};

// An interrupt that stopped a run inside a staged loop (the innermost one running); loc() is
// that loop's `while`/`for` line. what() is "interrupted".
class LocatedCancelledError : public CancelledError {
 public:
  explicit LocatedCancelledError(SourceLoc loc)
      : CancelledError("interrupted"), loc_(std::move(loc)) {}
  const SourceLoc& loc() const { return loc_; }

 private:
  SourceLoc loc_;
};

// Static type of a graph value: a tensor of `spec`, or a tensor list whose elements have `spec`.
enum class ValueKind : uint8_t { Tensor, TensorList };

struct Type {
  ValueKind kind = ValueKind::Tensor;
  TensorSpec spec;  // tensor spec, or element spec of a list

  static Type tensor(TensorSpec s) { return Type{ValueKind::Tensor, std::move(s)}; }
  static Type list(TensorSpec element) { return Type{ValueKind::TensorList, std::move(element)}; }
  bool is_list() const { return kind == ValueKind::TensorList; }
  // "float32(3,)" or "list[float32(3,)]".
  std::string to_string() const;

  friend bool operator==(const Type& a, const Type& b) {
    return a.kind == b.kind && a.spec == b.spec;
  }
  friend bool operator!=(const Type& a, const Type& b) { return !(a == b); }
};

enum class NodeKind : uint8_t {
  Op,                // any op of op_kinds.def (field `op`, attrs in `attrs`)
  Placeholder,       // a graph param: function argument, or subgraph input/capture
  Const,             // `value`
  Cond,              // inputs [pred, x...]; subgraphs [then, else] take x..., same outputs
  While,             // inputs [vars(k)..., captures..., max_iter?]; subgraphs [cond, body]
  ListNew,           // inputs [] or [size]; output list of `element` spec (outputs[0].spec)
  ListPushBack,      // [list, item] -> list
  ListGet,           // [list, index] -> item
  ListSet,           // [list, index, item] -> list
  ListSize,          // [list] -> int32 scalar
  ListStack,         // [list] -> tensor (n, element...)
  ListPop,           // [list, index] -> (list without element index, that element); not pure:
                     // an empty pop must fail at run time even when nobody reads its results
  Print,             // inputs printed per `print_items`; no outputs
  Assert,            // [pred]; no outputs; fails with `message` at `loc`
  VarRead,           // [] -> value of `variable`
  VarAssign,         // [x] -> new value of `variable`
  VarAssignAdd,      // [delta] -> new value
  VarAssignSub,      // [delta] -> new value
  FusedElementwise,  // inputs -> one tensor; `fused` program evaluated per element
  Call,              // inputs: `callee`'s params; outputs: its results (a graph function)
};

// Name used by dumps and Graph::ops(): "cond", "while", "tensor_list_push_back", "print", ...
// (Op nodes use op_name(op)).
const char* node_kind_name(NodeKind kind) noexcept;

// One output of a node.
struct Value {
  Node* node = nullptr;
  int index = 0;

  bool valid() const { return node != nullptr; }
  inline const Type& type() const;
  const TensorSpec& spec() const { return type().spec; }
  bool is_list() const { return type().is_list(); }
  inline Graph* graph() const;

  friend bool operator==(const Value& a, const Value& b) {
    return a.node == b.node && a.index == b.index;
  }
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }
};

struct ValueHash {
  size_t operator()(const Value& v) const {
    return std::hash<const void*>()(v.node) ^ (static_cast<size_t>(v.index) * 0x9e3779b97f4a7c15u);
  }
};

// One item of a Print node: a node input (input >= 0) or literal text.
struct PrintItem {
  int input = -1;
  std::string text;
};

// A node. Plain data: passes edit it directly; the builder and verify() keep it consistent.
struct Node {
  NodeKind kind = NodeKind::Op;
  OpKind op = OpKind::Identity;  // kind == Op
  OpAttrs attrs;                 // kind == Op
  std::vector<Value> inputs;
  std::vector<Type> outputs;
  // Earlier nodes of the same graph that must run first (side-effect order).
  std::vector<Node*> control_deps;
  SourceLoc loc;
  Graph* graph = nullptr;  // the graph that owns this node
  // Made by a gradient (the backward pass): dumps and pictures draw it apart.
  bool backward = false;
  // The name scopes open when the node was made ("sequential/dense_1"; empty: none). Pictures
  // group a scope's nodes (a layer's ops) in a box.
  std::string scope;

  // Cond: {then, else}. While: {cond, body}.
  std::vector<std::unique_ptr<Graph>> subgraphs;

  // Kind-specific payloads.
  Tensor value;                               // Const
  std::string name;                           // Placeholder: argument name (may be empty)
  std::shared_ptr<Variable> variable;         // Var*
  std::vector<PrintItem> print_items;         // Print
  std::string sep = " ", end = "\n";          // Print
  std::string message;                        // Assert
  int num_loop_vars = 0;                      // While: k
  bool has_max_iterations = false;            // While: last input is maximum_iterations
  bool dynamic_size = true;                   // ListNew: set() past the end grows the list
  std::shared_ptr<const FusedProgram> fused;  // FusedElementwise
  // Call: the graph function run (a recursive function calls itself: the graph may be the one
  // this node is in). Owned by a library (Graph::add_function) of this graph's top-level graph
  // or of a graph function enclosing it, never by the node, so self-reference is no cycle.
  Graph* callee = nullptr;

  Node();
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  Value out(int i = 0) { return Value{this, i}; }
  // "add", "cond", "placeholder", ...
  const char* op_name() const;
  // Print, Assert, variable writes, or a Cond/While whose subgraphs have one: never removed,
  // merged or reordered.
  bool has_side_effects() const;
  // Side effects plus VarRead: kept in program order relative to each other.
  bool is_ordered() const;
};

inline const Type& Value::type() const {
  return node->outputs[static_cast<size_t>(index)];
}

// A dataflow graph: the top-level function, or a branch/loop subgraph owned by a Cond/While node.
class Graph {
 public:
  explicit Graph(std::string name = "main");
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  const std::string& name() const { return name_; }
  // The Cond/While node owning this subgraph (null for a top-level graph), and its graph.
  Node* owner() const { return owner_; }
  Graph* parent() const;

  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  // Placeholder outputs in argument order (for subgraphs: explicit inputs, then captures).
  const std::vector<Value>& params() const { return params_; }
  const std::vector<Value>& outputs() const { return outputs_; }
  std::vector<Type> param_types() const;
  std::vector<Type> output_types() const;
  // Sets the results; each must be a value of this graph (GraphBuilder::set_outputs captures).
  void set_outputs(std::vector<Value> outputs);

  // Op names in execution order; with `recursive`, a Cond/While is followed by the ops of its
  // subgraphs (pre-order). Placeholders and constants are listed as "placeholder" and "const".
  std::vector<std::string> ops(bool recursive = true) const;
  // Readable text, one node per line, subgraphs indented under their node.
  std::string dump() const;
  // Graphviz dot; subgraphs are clusters.
  std::string to_dot() const;
  // Checks the IR's invariants (types agree with infer(), inputs defined before use, subgraph
  // signatures match their Cond/While, loop-var types invariant, control deps point backwards);
  // throws InternalError describing the first violation.
  void verify() const;
  // Number of nodes, with subgraphs' nodes when `recursive`.
  size_t num_nodes(bool recursive = true) const;

  // ---- Editing (builder and passes) ----
  // Appends (pos = npos) or inserts a node; sets node->graph. Returns the node.
  Node* insert_node(std::unique_ptr<Node> node, size_t pos = npos);
  // Adds a Placeholder of `type` as the next param.
  Value add_param(const Type& type, std::string name = {});
  // add_param in O(1) for a graph being built: the placeholder goes to the end of the node list
  // (add_param moves every later node, which made capturing n values into a loop body O(n^2)).
  // hoist_params() must run before the graph is used.
  Value append_param(const Type& type);
  // Moves every placeholder to the front of the node list, keeping the order of the rest.
  void hoist_params();
  // Rewrites every use of `from` in this graph (node inputs and outputs) to `to`.
  void replace_all_uses(Value from, Value to);
  // Removes the nodes for which `dead` is true. Their values must be unused; control deps on a
  // removed node are forwarded to its own deps.
  void remove_nodes_if(const std::function<bool(const Node&)>& dead);
  std::vector<std::unique_ptr<Node>>& mutable_nodes() { return nodes_; }
  std::vector<Value>& mutable_params() { return params_; }
  std::vector<Value>& mutable_outputs() { return outputs_; }
  void set_owner(Node* owner) { owner_ = owner; }

  static constexpr size_t npos = static_cast<size_t>(-1);

  // Graph functions that Call nodes of this graph (or of graph functions it owns) run: a
  // top-level graph owns them, a recursive function's own Calls refer to it without owning it.
  void add_function(std::shared_ptr<Graph> function) { functions_.push_back(std::move(function)); }
  const std::vector<std::shared_ptr<Graph>>& functions() const { return functions_; }

  // Keeps a subgraph whose building failed allocated while this graph lives (see removed_).
  void bury(std::unique_ptr<Graph> subgraph) { buried_.push_back(std::move(subgraph)); }

 private:
  std::string name_;
  Node* owner_ = nullptr;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<Value> params_;
  std::vector<Value> outputs_;
  // Nodes taken out (remove_nodes_if) and abandoned subgraphs stay allocated while the graph
  // lives: a symbolic tensor the user kept (in a traceback's locals, an object's attribute)
  // points at its node, and reading its dtype or shape must not touch freed memory.
  std::vector<std::unique_ptr<Node>> removed_;
  std::vector<std::unique_ptr<Graph>> buried_;
  std::vector<std::shared_ptr<Graph>> functions_;
};

inline Graph* Value::graph() const {
  return node->graph;
}

}  // namespace xag::rt

// Edits of a built While that connect a forward loop to its backward loop: the forward loop
// pushes a value of its body onto a new stack every iteration, the backward loop pops one
// element of that stack at the start of every iteration. Each stack is one more loop variable
// (a tensor list) of its loop; the loop's existing outputs keep their indices.
#pragma once

#include "runtime/graph/graph.h"

namespace xag::rt::autodiff {

// Makes loop `w` push `value` (a value of its body graph) at the end of each iteration onto a
// new stack, which starts empty before the loop; returns the loop's output holding the filled
// stack.
Value push_each_iteration(Node& w, Value value);

// Makes loop `b` pop the last element of `stack` (a list value of b's graph, the initial value
// of a new loop variable) at the start of each iteration; returns the popped element, a value
// of b's body.
Value pop_each_iteration(Node& b, Value stack);

// Adds a loop variable to While `b` that holds, in each iteration, what `next` (a value of b's
// body) was in the previous iteration, and `init` in the first; returns it (a param of b's
// body).
Value carry_previous(Node& b, Value init, Value next);

}  // namespace xag::rt::autodiff

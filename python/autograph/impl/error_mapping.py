"""Compiling converted code so that it *is* the user's code for tracebacks.

The converted source is parsed again with Python's `ast`, every node gets the position of the
user's line it came from (the converter's source map), and the tree is compiled under the
user's file name. Frames of converted code then show the user's file/cell, line and source text
(linecache has it), and the bindings' source locations of graph ops (the first frame outside the
package) name the user's line without any lookup table.
"""
import ast
import linecache
import re
import sys
import types


def _line_text(filename, line):
    return linecache.getline(filename, line).rstrip("\r\n")


def _line_table(code, source_map, filename, col_shift):
    """Per generated line: (user line, column shift or None, user column, user line length).
    The shift is known when the generated line is the user's line re-indented (most lines);
    otherwise nodes of that line cover the user's line from the mapped column."""
    gen_lines = code.split("\n")
    table = {}
    for gen_line, _gen_col, orig_line, orig_col in source_map:
        orig_col += col_shift
        gen = gen_lines[gen_line - 1] if 0 < gen_line <= len(gen_lines) else ""
        stripped = gen.strip()
        text = _line_text(filename, orig_line)
        shift = None
        if stripped and text[orig_col:].rstrip() == stripped:
            shift = orig_col - (len(gen) - len(gen.lstrip()))
        table[gen_line] = (orig_line, shift, orig_col, max(len(text), orig_col))
    return table


def remap(tree, code, source_map, filename, col_shift=0):
    """Sets every node's position in `tree` (parsed from `code`) to the user's source."""
    table = _line_table(code, source_map, filename, col_shift)
    default = (1, None, 0, 0)
    for node in ast.walk(tree):
        lineno = getattr(node, "lineno", None)
        if lineno is None:
            continue
        line, shift, col, length = table.get(lineno, default)
        end_col = getattr(node, "end_col_offset", None)
        if shift is not None and getattr(node, "end_lineno", None) == lineno \
                and end_col is not None:
            node.col_offset += shift
            node.end_col_offset = end_col + shift
        else:
            # Generated code spanning several lines, or not the user's text: the whole line.
            node.col_offset, node.end_col_offset = col, length
        node.lineno = node.end_lineno = line
    return tree


def compile_converted(code, source_map, filename, col_shift=0, wrap=None):
    """Compiles converted `code` with the user's positions; `wrap(tree)` may rewrite the module
    first (the closure factory)."""
    tree = ast.parse(code, filename="<converted>")
    if wrap is not None:
        tree = wrap(tree)
    remap(tree, code, source_map, filename, col_shift)
    try:
        return compile(tree, filename, "exec", dont_inherit=True)
    except RecursionError:
        # Compiling a tree object counts each nesting level against Python's recursion limit,
        # compiling text does not: code nested as deep as CPython compiles from text (~3,000
        # levels; the converter refuses deeper) needs a higher limit for this one call.
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * _MAX_NESTING))
        try:
            return compile(tree, filename, "exec", dont_inherit=True)
        finally:
            sys.setrecursionlimit(limit)


# The converter refuses code nested deeper than this (converter/parse/parser.cpp's kMaxDepth).
_MAX_NESTING = 2990


# Names of the functions the converter generates around blocks of the user's function.
_GENERATED = re.compile(r"^(if_body|else_body|loop_body|loop_test|extra_test|get_state|"
                        r"set_state)(_\d+)?$")


def rename_generated(code, name):
    """`code` with the converter's helper functions named after the user's function `name`,
    so traceback frames read `in <name>` rather than `in if_body`. Lambdas and comprehensions
    (`<lambda>`, ...) hold no helpers (those are defs) and are not searched: a chain of lambdas
    may nest thousands deep."""
    consts = tuple(rename_generated(c, name if _GENERATED.match(c.co_name) else c.co_name)
                   if isinstance(c, types.CodeType) and not c.co_name.startswith("<") else c
                   for c in code.co_consts)
    if _GENERATED.match(code.co_name):
        return code.replace(co_consts=consts, co_name=name, co_qualname=name)
    return code.replace(co_consts=consts)

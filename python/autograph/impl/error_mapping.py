"""Compiling converted code so that it *is* the user's code for tracebacks.

The converted source is parsed again with Python's `ast`, every node gets the position of the
user's line it came from (the converter's source map), and the tree is compiled under the
user's file name. Frames of converted code then show the user's file/cell, line and source text
(linecache has it), and the bindings' source locations of graph ops (the first frame outside the
package) name the user's line without any lookup table.
"""
import ast
import linecache


def _line_text(filename, line):
    return linecache.getline(filename, line).rstrip("\r\n")


class _Positions:
    """Maps generated (line, col) to the user's (line, col)."""

    def __init__(self, code, source_map, filename, col_shift):
        self.gen_lines = code.split("\n")
        self.map = {}
        for gen_line, _gen_col, orig_line, orig_col in source_map:
            self.map[gen_line] = (orig_line, orig_col + col_shift)
        self.filename = filename
        self._text = {}

    def text(self, line):
        t = self._text.get(line)
        if t is None:
            t = self._text[line] = _line_text(self.filename, line)
        return t

    def start(self, line, col):
        orig_line, orig_col = self.map.get(line, (1, 0))
        gen = self.gen_lines[line - 1] if 0 < line <= len(self.gen_lines) else ""
        indent = len(gen) - len(gen.lstrip())
        text = self.text(orig_line)
        # The generated line is the user's line re-indented: columns shift by the indentation.
        if gen.strip() and text[orig_col:].rstrip() == gen.strip():
            return orig_line, orig_col + (col - indent), True
        return orig_line, orig_col, False


def remap(tree, code, source_map, filename, col_shift=0):
    """Sets every node's position in `tree` (parsed from `code`) to the user's source."""
    pos = _Positions(code, source_map, filename, col_shift)
    for node in ast.walk(tree):
        if not hasattr(node, "lineno") or getattr(node, "lineno", None) is None:
            continue
        line, col, exact = pos.start(node.lineno, node.col_offset)
        end_line = getattr(node, "end_lineno", None)
        end_col = getattr(node, "end_col_offset", None)
        if exact and end_line == node.lineno and end_col is not None:
            end_line, end_col = line, col + (end_col - node.col_offset)
        else:
            # Generated code spanning several lines, or not the user's text: the whole line.
            end_line, end_col = line, max(len(pos.text(line)), col)
        node.lineno, node.col_offset = line, col
        node.end_lineno, node.end_col_offset = end_line, end_col
    return tree


def compile_converted(code, source_map, filename, col_shift=0, wrap=None):
    """Compiles converted `code` with the user's positions; `wrap(tree)` may rewrite the module
    first (the closure factory)."""
    tree = ast.parse(code, filename="<converted>")
    if wrap is not None:
        tree = wrap(tree)
    remap(tree, code, source_map, filename, col_shift)
    return compile(tree, filename, "exec", dont_inherit=True)


def _is_internal(filename):
    import os

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    return filename.startswith(package)


def filter_traceback(tb):
    """`tb` without the frames of the autograph package (operators, conversion glue): what is
    left is the user's code, at the user's lines."""
    kept = []
    while tb is not None:
        if not _is_internal(tb.tb_frame.f_code.co_filename):
            kept.append(tb)
        tb = tb.tb_next
    if not kept:
        return None
    for a, b in zip(kept, kept[1:]):
        a.tb_next = b
    kept[-1].tb_next = None
    return kept[0]

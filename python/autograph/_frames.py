"""The package's own frames: where the package lives, and tracebacks without its frames.

Frames of the package's files (operators, conversion glue, ag.function) are not the user's code.
Tracebacks shown to users leave them out (impl/conversion.py for errors out of staged functions,
notebook/tracebacks.py in the kernel's display), conversion never converts them
(impl/conversion.py), and the bindings skip them when they look for the user's line of a graph op
(`_core._set_package_dir`, called by __init__.py with DIR).
"""
import os

# The directory as imported (what code objects' file names start with) and with symlinks
# resolved: the build tree's package links its .py files from the source tree.
DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
DIRS = tuple(dict.fromkeys([DIR, os.path.dirname(os.path.realpath(__file__)) + os.sep]))


def is_package_file(filename):
    """True for a file name inside the package."""
    return filename.startswith(DIRS)


def is_package_frame(tb):
    return is_package_file(tb.tb_frame.f_code.co_filename)


def frames(tb):
    """The entries of traceback `tb`, outermost first."""
    out = []
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


def relink(entries):
    """The traceback made of `entries` in this order (None when empty)."""
    if not entries:
        return None
    for a, b in zip(entries, entries[1:]):
        a.tb_next = b
    entries[-1].tb_next = None
    return entries[0]


def without_package_frames(tb):
    """`tb` without the frames of the package: what is left is the user's code."""
    return relink([entry for entry in frames(tb) if not is_package_frame(entry)])

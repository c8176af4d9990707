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


def release_locals(tb):
    """Drops what the frames of `tb` hold: their locals (traceback.clear_frames) and the cells
    they created, which the functions they defined keep (a converted function's body functions
    close over its variables; a finished frame keeps its function, so clearing the frame alone
    leaves them). Used on an interrupted trace, whose symbolic tensors keep its whole graph."""
    import traceback
    import types

    for entry in frames(tb):
        frame = entry.tb_frame
        own = set(frame.f_code.co_cellvars)
        if not own:
            continue
        for value in list(frame.f_locals.values()):
            if not isinstance(value, types.FunctionType) or not value.__closure__:
                continue
            for name, cell in zip(value.__code__.co_freevars, value.__closure__):
                if name in own:
                    try:
                        del cell.cell_contents
                    except ValueError:  # already empty
                        pass
    traceback.clear_frames(tb)
    for entry in frames(tb):
        # Reading f_locals made a dict of the locals that clear() leaves as it was; reading it
        # again brings it up to date (empty).
        entry.tb_frame.f_locals  # noqa: B018 - read for its effect

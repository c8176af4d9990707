"""What a symbolic tensor is being used to index, read from the user's bytecode: `w` in
`s += w[i]` (errors.py names it when a Python list is indexed by a tensor in staged code, where
Python needs an int and the graph only has a value to come).

The frame's current instruction is the subscript; walking back over the instructions before it,
counting what each pops and pushes, finds the one that pushed the container (the second value
from the top when the subscript runs)."""
import dis
import os
import sys

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_LOADS = ("LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_NAME", "LOAD_CLASSDEREF")


def indexed_container():
    """(name, value) of the container indexed at the user's current instruction, or None."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame = frame.f_back
    if frame is None:
        return None
    instructions = list(dis.get_instructions(frame.f_code))
    at = next((k for k, ins in enumerate(instructions) if ins.offset == frame.f_lasti), None)
    if at is None or instructions[at].opname not in ("BINARY_SUBSCR", "STORE_SUBSCR"):
        return None
    position = 2  # the container, below the index
    for k in range(at - 1, -1, -1):
        ins = instructions[k]
        if ins.is_jump_target:
            return None  # another path joins here: the stack is not this path's alone
        net = dis.stack_effect(ins.opcode, ins.arg if ins.opcode >= dis.HAVE_ARGUMENT else None,
                               jump=False)
        pushes = 0 if ins.opname.startswith(("STORE_", "POP_", "JUMP", "RETURN")) else max(1, net)
        if position <= pushes:
            return _describe(instructions, k, frame)
        position += (pushes - net) - pushes
    return None


def _describe(instructions, k, frame):
    ins = instructions[k]
    if ins.opname in _LOADS:
        name = ins.argval
        value = frame.f_locals.get(name, frame.f_globals.get(name))
        return name, value
    if ins.opname == "LOAD_ATTR" and k > 0 and instructions[k - 1].opname in _LOADS:
        owner = instructions[k - 1].argval
        obj = frame.f_locals.get(owner, frame.f_globals.get(owner))
        return f"{owner}.{ins.argval}", getattr(obj, ins.argval, None)
    return None

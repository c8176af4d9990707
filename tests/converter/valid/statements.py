import a.b.c as d, e
from .. import x
from ...pkg.mod import (a as b, c,)
from . import *
from .mod import y
global g1, g2
nonlocal_ = 1
x = y = z = 1
a, *b = c
[a, b] = (c, d) = e
a.b.c[d][e:f] = 1
x += 1; y -= 2; z *= 3; w @= 4; v /= 5; u //= 6; t %= 7; s **= 8; r >>= 9; q <<= 10; p &= 11; o ^= 12; n |= 13
x: int
(y): int = 1
a.b: str = 'x'
c[0]: list[int] = []
z: tuple = yield
del a, b[1], c.d, (e, f), [g]
assert x, "msg"
raise
raise E
raise E from None
pass
for x in y: break
else: continue
for (a, b), [c, *d] in e: pass
for x, in y: pass
for x in *a, *b: pass
while x:
    pass
else:
    pass
if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass
with a: pass
with a as b, c as (d, e): pass
with (a, b): pass
with (a as b, c as d,): pass
with (a) as b: pass
with (a, b) as c: pass
with (yield): pass
try:
    pass
except E as e:
    pass
except (A, B):
    pass
except:
    pass
else:
    pass
finally:
    pass
try:
    pass
finally:
    pass
try:
    pass
except* ValueError:
    pass
except* (TypeError, KeyError) as eg:
    pass
def f(): return
def f(a, b=1, *c, d, e=2, **f): pass
def f(a, /, b, *, c): pass
def f(a=1, /, b=2, *, c, d=3): pass
def f(*, a): pass
def f(*args: *Ts): pass
def f(a: int = 1, *b: str, c: float = 2.0, **d: bool) -> 'ret': pass
@decorator
@decorator.attr(arg)
@(lambda f: f)
def f(): pass
@d
class C(A, B, metaclass=M, **kw):
    x = 1
    def m(self): ...
class D: pass
class E(): pass
async def f():
    async for x in y: pass
    async with a as b: pass
    await x
    [x async for x in y]
    return await y
def g():
    yield
    yield x
    yield x, y
    yield from z
    x = yield
    x = yield y
    await_ = 1
if x: y; z
match = 1
match.x = 2
match(x)
case = 3
_ = 4
type = 5
print(match, case)
x = 1 \
  + 2
if (a and
    b):
    pass

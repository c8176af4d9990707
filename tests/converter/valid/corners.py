x = 1if y else 2
z = [0x1for x in y]
n = 1e1_0 + 0o1_7 + .5j + 1_0e-1_0 + 0e0 + 00.5 + 0_0j + 1.e5 + 9_9.9_9
a[()] = a[...] = a[:, None] = a[1:2, ::-1, ...] = 1
a[b:=1]
f(a, *b, **c, d=e)
lambda: (yield)
lambda *a, **k: (a, k)
lambda a, b=1, /, c=2, *d, e, f=3, **g: 0
def f(a, b=1, /, c=2, *d, e, f=3, **g): pass
def f(a, /): pass
def f(a, /, *, b): pass
async def f():
    return [x async for x in y if await x]
def g(): return (x for x in y if x)
print(*a, **b)
x = *a, *b
for x in (*a, *b): pass
del (a), [b, c], (d,)
del (a, b)
del a,
with a, (b): pass
with (a, b), c: pass
with (a)(b): pass
with (a).b as c: pass
with (a := b): pass
while (x := f()): pass
[(y := x) for x in z]
@a.b.c
@a[0]
@(yield)
def f(): pass
x = """a""" 'b' \
    "c"
s = ('a'
     'b'
     f'{c}'
     'd')
global x
nonlocal_ = lambda: None
t = 1,
u = ()
v = (((1,),),)
w = not not x
q = -(-x)
r = a if b else (c if d else e)
s = (a for b in c for d in e if f if g)
t = {**a}
u = {1: 2, **b, 3: 4}
v = [*a]
w = {*a}
x = a.b.c(d)[e].f
y = f'{x!r}' f'{y:{z}}' f'{"a" if b else "c"}'
z = f'{a["b"]:>{c}.{d}f}'
if x:
    pass
elif y:
    pass
while 1:
    break
else:
    pass
try:
    pass
except (A, B) as e:
    raise C from e
try:
    pass
except A:
    pass
finally:
    pass
assert (x, y)
import a.b as c
from a import (b)
from .a.b import c as d, e
from ....a import b
from ... import c

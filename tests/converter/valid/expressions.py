a or b or c
a and b and c
a or b and c
(a or b) or c
not a
not not a
a < b <= c > d >= e == f != g in h not in i is j is not k
-a + +b - ~c
a ** -b ** c
a * b / c // d % e @ f
a << b >> c & d ^ e | f
a if b else c if d else e
lambda: 0
lambda x: x
lambda x, y=1, *a, z, **k: 0
lambda *, k: k
lambda x, /, y: x
f()
f(a, b, *c, d=1, **e)
f(a, *b, c, *d, e=1, *f, **g, h=2)
f(x for x in y)
f((x for x in y), z)
f(a)(b)(c)
a.b.c
a[b]
a[b, c]
a[b:c]
a[b:c:d]
a[::]
a[:]
a[::2]
a[1:2, ::3]
a[*b]
a[*b, c]
a[b, *c]
a[(b, c)]
[x for x in y]
[x for x in y if x if z for w in x]
{x for x in y}
{k: v for k, v in items}
(x for x in y)
[*a, *b]
{*a, *b}
{**a, 'b': 1, **c}
{}
{1: 2, 3: 4}
{1, 2}
()
(1,)
1,
1, 2,
[]
[1, 2,]
(x := 10)
[y := 1, y ** 2]
f(x := 1)
a[x := 1]
await_x = 1
x = [i for i in range(3) if (j := i)]
(a)
((a))
(((a), b))
(yield)
x = *a, b
print(*a, sep='')
a.b(c)[d].e
'a' 'b'.join(x)
...
x = ...
None.__class__
1 .real
1.0.real
1j.imag
x = a if b else(c)
x = [1, 2][0]
not a in b
a is not b
-1
- 1
~-+1
(-1) ** 2
a.b.c.d.e.f
f(**{'a': 1})
f(*[], **{})
g = (x for x in y) if 0 else 1

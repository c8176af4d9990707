a = f''
b = f'{x}'
c = f'{x!r} {y!s} {z!a}'
d = f'{x:>10} {y:{w}.{p}f} {z:}'
e = f'{x=} {y = } {z=!s} {w=:>5}'
f = f'{{}} {{{x}}} }} {{'
g = f'a' 'b' f'c{d}e' 'f'
h = f'{x}' f'{y}'
i = F'{x}' rf'\d{x}' fR'{x}\n' Rf'{y}'
j = f'''{
x
}'''
k = f'''
  {a} and {
    b + c}
'''
l = f'{"nested"} {f"{inner}"} {x["key"]}'
m = f'{a if b else c} {(lambda: 1)} {(yield)}'
n = f'{x!r:^{width}}'
o = f'\N{EM DASH}{x}\n'
p = (f'a{b}'
     f'c{d:>{e}}'
     'g')
q = f'{x,y}' f'{*a,}'
r = f"{x:{'>'}10}"
s = f'{3.14:.2f}' f'{1_000:,}'
t = f'{a!=b} {a==b} {a<=b} {a>=b} {a<b} {a>b}'
u = f'{ x }'
v = f'{x:{y}}' + f'{{x}}'

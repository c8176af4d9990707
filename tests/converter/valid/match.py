match x:
    case 1:
        pass
    case -1:
        pass
    case 1.5 | 2j | -3+4j | 5-6j:
        pass
    case 'a' 'b':
        pass
    case None | True | False:
        pass
    case a.b.c:
        pass
    case name:
        pass
    case _:
        pass
    case [a, b, *rest]:
        pass
    case (a, b, *_):
        pass
    case [*_]:
        pass
    case ():
        pass
    case []:
        pass
    case (a,):
        pass
    case (a):
        pass
    case {'k': v, 1: w, a.b: c, **rest}:
        pass
    case {}:
        pass
    case Point(x, y, z=0, w=_):
        pass
    case Point():
        pass
    case a.B(c) as d:
        pass
    case [1, 2] | [3, 4] as e if e:
        pass
    case 1, 2:
        pass
    case *a, b:
        pass
    case (1 | 2) as z:
        pass
match x, y:
    case a, b: pass
match *x, y:
    case _: pass
match (x):
    case _: pass
match -x:
    case _: pass
match x,:
    case _: pass

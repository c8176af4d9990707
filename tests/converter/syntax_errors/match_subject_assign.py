def f(x):
    match x = 3:
        case 1:
            pass

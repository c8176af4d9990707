x = f"{{{{ {m} }}}}" f"{{:>{n}.{d}f}}{{:>{7 if h else 0}}}"
if x:
    a = 1;
for y in z: b;

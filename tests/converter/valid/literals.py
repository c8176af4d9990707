a = 0x_FF + 0o17 + 0b1010 + 1_000_000 + 0_0 + 00 + 123456789012345678901234567890
b = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 0o7777777777777777777777777, 0b1111111111111111111111111111111111111111111111111111111111111111111
c = 1.5, 1., .5, 1e10, 1E-10, 1e16, 1e15, 123456789.123456789, 0.1, 1e-5, 1e-4, 1_0.0_1, 1e308, 1e309, 5e-324, 2.5e-7
d = 1j, 1.5j, 1e16j, 0j, 1e999j, 3.0J, 10j, 1_0j
e = 'a' "b" '''c''' """d""" r'\n' R"\d" u'x' U"y"
f = b'abc' b'def', b"'", b'"', b'\'"', '\'', "\"", '\'"'
g = '\x00\x01\x7f\x80\xa0\xad\u200b\u2028\ud800\U0001F600\U000e0001 é 中 \N{EM DASH} \N{latin small letter a}'
h = '\a\b\f\n\r\t\v\\\0\12\123\777 \q \
continued'
i = '''multi
line\
string''', """with "quotes" and 'single'"""
j = u'kind' 'concat', 'no' u'kind'
k = ..., None, True, False
l = '\r\n', "tab\there"
e2 = b'\x00\xff' rb'\d' Rb"x" bR'y' BR'z'

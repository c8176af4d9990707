# coding=latin-1
# é
x = "ÿé" # à
y = b"\xff"

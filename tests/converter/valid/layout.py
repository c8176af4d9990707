# -*- coding: utf-8 -*-
if x:
	y = 1
	if z:
		w = 2
def f():
    x = (1,
  2,
         3)
    return [
        1,
    ]



class A:

    def m(self):  # comment

        # comment only
        pass
    # trailing comment
x = 1  # comment
y = [1,  # c
     2]
z = {
}
s = '\
'
if a: pass
\
y = 2

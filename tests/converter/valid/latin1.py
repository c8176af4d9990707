# -*- coding: latin-1 -*-
s = "café"
t = 1

# -*- coding: cp1252 -*-
x = "€“"  # euro, quote

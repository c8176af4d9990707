t = (True = 1)

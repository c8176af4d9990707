if a = 3:
    pass

x = 1
async x = 2

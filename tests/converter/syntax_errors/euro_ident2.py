x = 1
ab€ = 3

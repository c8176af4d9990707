ä = 1
𝔘𝔫𝔦𝔠𝔬𝔡𝔢 = 2
ﬁ = 3
print(ä, Unicode, fi)

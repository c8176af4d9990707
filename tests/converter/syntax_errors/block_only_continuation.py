class Boun_:
  \
  
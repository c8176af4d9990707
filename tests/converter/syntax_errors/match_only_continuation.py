match x:
  \
  
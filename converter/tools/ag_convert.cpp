// ag-convert: command-line front end of the converter (placeholder until the parser lands).
#include <cstdio>

int main() {
  std::puts("usage: ag-convert --dump-ast [--positions] FILE");
  return 0;
}

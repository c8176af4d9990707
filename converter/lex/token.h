// Tokens: a kind plus a byte range of the source and CPython-style positions.
#pragma once

#include <cstdint>

namespace xag::lex {

enum class TokenKind : uint8_t {
#define XAG_TOKEN(Name, Spelling) Name,
#include "converter/lex/token_kinds.def"
};

// "(" for LPar, "if" for KwIf, "name" for Name.
const char* token_spelling(TokenKind k);
bool is_keyword(TokenKind k);

struct Token {
  TokenKind kind;
  uint32_t begin, end;  // byte offsets into the (UTF-8) source
  int32_t lineno, col_offset, end_lineno, end_col_offset;
};

}  // namespace xag::lex

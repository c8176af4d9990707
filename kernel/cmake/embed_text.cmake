# cmake -DINPUT=<file> -DOUTPUT=<file.inc> -P embed_text.cmake
# Writes the text of INPUT to OUTPUT as one C++ raw string literal, for
# `constexpr const char name[] =\n#include "file.inc"\n;`. Fails if the text contains the literal's
# closing delimiter.
file(READ "${INPUT}" text)
set(delimiter "xag_embed")
string(FIND "${text}" ")${delimiter}\"" found)
if(NOT found EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains )${delimiter}\" and cannot be embedded as is")
endif()
set(content "// Generated from ${INPUT} by kernel/cmake/embed_text.cmake: edit that file.\n")
string(APPEND content "R\"${delimiter}(${text})${delimiter}\"\n")
# Rewritten only when it changes, so an unchanged file does not recompile the kernel.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")

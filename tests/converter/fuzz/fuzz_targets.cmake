# The parser fuzz target: the parser, unparser and their dependencies compiled
# with coverage instrumentation and sanitizers (clang only). Included by the
# main build when XAG_FUZZ is ON and by the standalone fuzz project
# (tests/converter/fuzz/CMakeLists.txt) that the converter_fuzz_60s test builds.
# Expects XAG_ROOT: the repository root.

if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "XAG_FUZZ needs clang (libFuzzer); configure with CMAKE_CXX_COMPILER=clang++")
endif()

# Only what parsing and unparsing need: the analysis and transform passes
# would add build time and no coverage.
file(GLOB XAG_FUZZ_SOURCES CONFIGURE_DEPENDS
  ${XAG_ROOT}/converter/ast/*.cpp
  ${XAG_ROOT}/converter/lex/*.cpp
  ${XAG_ROOT}/converter/parse/*.cpp
  ${XAG_ROOT}/converter/diag/*.cpp
  ${XAG_ROOT}/converter/unicode/*.cpp
  ${XAG_ROOT}/converter/unparse/*.cpp)

set(XAG_FUZZ_FLAGS -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
                   -fno-sanitize-recover=undefined)
add_library(xag_converter_fuzz STATIC ${XAG_FUZZ_SOURCES})
target_include_directories(xag_converter_fuzz PUBLIC ${XAG_ROOT})
target_compile_options(xag_converter_fuzz PRIVATE ${XAG_FUZZ_FLAGS} -fsanitize=fuzzer-no-link)

add_executable(fuzz_parser ${XAG_ROOT}/tests/converter/fuzz_parser.cpp)
target_link_libraries(fuzz_parser PRIVATE xag_converter_fuzz)
target_compile_options(fuzz_parser PRIVATE ${XAG_FUZZ_FLAGS} -fsanitize=fuzzer)
target_link_options(fuzz_parser PRIVATE -fsanitize=fuzzer,address,undefined)

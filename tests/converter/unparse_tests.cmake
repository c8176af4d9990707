# Unparser and parser-robustness tests; included from tests/converter/CMakeLists.txt.
# Owned apart from the parser's tests so the two can change independently.

if(Catch2_FOUND)
  add_executable(unparse_test ${CMAKE_CURRENT_LIST_DIR}/unparse_test.cpp)
  target_link_libraries(unparse_test PRIVATE xag_converter Catch2::Catch2)
  target_compile_options(unparse_test PRIVATE ${XAG_WARNINGS})
  add_test(NAME converter_unparse_golden COMMAND unparse_test)
endif()

# The unparser alone, fed CPython's own trees of the whole stdlib.
add_executable(unparse-from-cpython ${CMAKE_CURRENT_LIST_DIR}/unparse_from_cpython.cpp)
target_link_libraries(unparse-from-cpython PRIVATE xag_converter)
target_compile_options(unparse-from-cpython PRIVATE ${XAG_WARNINGS})
add_test(NAME converter_unparse_roundtrip_cpython_trees
         COMMAND ${Python_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/unparse_roundtrip.py
                 --from-cpython $<TARGET_FILE:unparse-from-cpython>)

# Our parser then our unparser: every stdlib file CPython parses must come back
# to the same tree (100% required).
add_test(NAME converter_unparse_roundtrip_stdlib
         COMMAND ${Python_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/unparse_roundtrip.py
                 --ag-convert $<TARGET_FILE:ag-convert>)
set_tests_properties(converter_unparse_roundtrip_stdlib converter_unparse_roundtrip_cpython_trees
                     PROPERTIES TIMEOUT 300)

# Parser fuzzing (libFuzzer, clang). With XAG_FUZZ=ON (and clang as the
# compiler) the fuzz_parser target joins this build.
if(XAG_FUZZ)
  set(XAG_ROOT ${PROJECT_SOURCE_DIR})
  include(${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_targets.cmake)
endif()
# The 60-second run builds its own clang tree, whatever compiler this build uses.
# A fixed seed makes CI repeatable: long local runs (run_fuzz.sh without -seed)
# explore new inputs, and whatever they find becomes a golden case first.
find_program(XAG_CLANGXX clang++)
if(XAG_CLANGXX)
  add_test(NAME converter_fuzz_60s
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/fuzz/run_fuzz.sh ${CMAKE_BINARY_DIR}/fuzz-parser 60
                   -seed=20261121)
  set_tests_properties(converter_fuzz_60s PROPERTIES TIMEOUT 900)
endif()

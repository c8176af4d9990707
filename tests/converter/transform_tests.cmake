# Static analysis, transform and conversion tests; included from
# tests/converter/CMakeLists.txt. Owned apart from the parser's tests.
#   converter_analysis       Catch2 unit tests of each analysis ([analysis])
#   converter_transform      templates, API and golden files ([transform])
#   converter_transform_run  the golden outputs parse, map every line, and
#                            behave like the originals under CPython
# XAG_REGEN_GOLDEN=1 ./converter_transform_test "[golden]" rewrites the
# expected files of tests/converter/transform_golden.

if(Catch2_FOUND)
  add_executable(converter_transform_test
    ${CMAKE_CURRENT_LIST_DIR}/transform_tests_main.cpp
    ${CMAKE_CURRENT_LIST_DIR}/analysis_scopes_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/analysis_activity_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/analysis_cfg_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/analysis_liveness_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/analysis_reaching_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/analysis_undefined_reads_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/transform_templates_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/transform_golden_test.cpp)
  target_link_libraries(converter_transform_test PRIVATE xag_converter Catch2::Catch2)
  target_compile_options(converter_transform_test PRIVATE ${XAG_WARNINGS})
  target_compile_definitions(converter_transform_test PRIVATE
    XAG_TRANSFORM_GOLDEN_DIR="${CMAKE_CURRENT_LIST_DIR}/transform_golden")
  add_test(NAME converter_analysis COMMAND converter_transform_test "[analysis]")
  add_test(NAME converter_transform COMMAND converter_transform_test "[transform]")
endif()

add_test(NAME converter_transform_run
         COMMAND ${Python_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/transform_check.py
                 ${CMAKE_CURRENT_LIST_DIR}/transform_golden)

# Every 3rd stdlib module: converted code compiles, no internal errors.
add_test(NAME converter_transform_stdlib
         COMMAND ${Python_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/transform_stdlib_check.py
                 $<TARGET_FILE:ag-convert> --every 3)
set_tests_properties(converter_transform_stdlib PROPERTIES TIMEOUT 600)

# Random programs (loops, branches, jumps, undefined variables) run as
# written and converted under the reference operators must agree.
add_test(NAME converter_transform_fuzz
         COMMAND ${Python_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/transform_fuzz.py
                 $<TARGET_FILE:ag-convert> --count 300 --seed 1)
set_tests_properties(converter_transform_fuzz PROPERTIES TIMEOUT 300)

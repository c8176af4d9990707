# %%autograph through a real kernel (owned by the notebook front end, included from
# CMakeLists.txt): side-by-side displays, tracebacks at the user's lines, interrupts of staged
# loops, staged print order, bad cells. Same environment as the kernel tests above: the build
# tree's kernelspec (JUPYTER_PATH) whose env puts ${build}/python on PYTHONPATH.
file(GLOB XAG_AUTOGRAPH_KERNEL_TESTS RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
     CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test_autograph_*.py)
foreach(test_file ${XAG_AUTOGRAPH_KERNEL_TESTS})
  get_filename_component(test_name ${test_file} NAME_WE)
  string(REPLACE "test_" "" test_name ${test_name})
  add_test(NAME kernel.${test_name}
    COMMAND ${Python_EXECUTABLE} -m pytest -v -p no:cacheprovider ${test_file}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(kernel.${test_name} PROPERTIES
    ENVIRONMENT "${XAG_KERNEL_TEST_ENV};PYTHONPATH=${CMAKE_BINARY_DIR}/python"
    TIMEOUT 600
    LABELS "kernel;autograph")
endforeach()

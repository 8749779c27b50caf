# pptpx_layer(NAME DEPS...): a static library `pptpx_NAME` from src/NAME/*.cpp, and a GoogleTest
# binary `NAME_tests` from tests/NAME/*_test.cpp. Adding a file to a layer needs no CMake edit
# (CONFIGURE_DEPENDS re-globs on every build).
function(pptpx_layer name)
  file(GLOB _srcs CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/src/${name}/*.cpp")
  if(_srcs)
    add_library(pptpx_${name} STATIC ${_srcs})
    set(_vis PUBLIC)
  else()
    add_library(pptpx_${name} INTERFACE)
    set(_vis INTERFACE)
  endif()
  target_include_directories(pptpx_${name} ${_vis} "${CMAKE_SOURCE_DIR}/src")
  set(_deps)
  foreach(d IN LISTS ARGN)
    if(TARGET pptpx_${d})
      list(APPEND _deps pptpx_${d})
    else()
      list(APPEND _deps ${d})
    endif()
  endforeach()
  target_link_libraries(pptpx_${name} ${_vis} ${_deps})
  if(_srcs)
    target_link_libraries(pptpx_${name} PRIVATE pptpx_warnings)
  endif()
  add_library(pptpx::${name} ALIAS pptpx_${name})
endfunction()

# pptpx_layer_tests(NAME DEPS...): tests/NAME/*_test.cpp -> NAME_tests, registered with CTest.
function(pptpx_layer_tests name)
  file(GLOB _tests CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/${name}/*_test.cpp")
  if(NOT _tests)
    return()
  endif()
  add_executable(${name}_tests ${_tests})
  target_link_libraries(${name}_tests PRIVATE pptpx_${name} pptpx_test_support ${ARGN}
                        GTest::gtest GTest::gtest_main pptpx_warnings)
  gtest_discover_tests(${name}_tests
    PROPERTIES LABELS "unit;${name}"
    ENVIRONMENT "PPTPX_SHARED_DIR=${PPTPX_SHARED_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()

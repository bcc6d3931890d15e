# cairn_add_test(NAME <name> SOURCES <files...> LIBS <targets...> [XVFB] [LABELS <labels...>])
# One doctest binary per library, registered with CTest. XVFB runs it inside `xvfb-run -a` with
# GLX, so tests may open real X11 windows; each test gets a private HOME/XDG tree under the build.
function(cairn_add_test)
  cmake_parse_arguments(T "XVFB" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${CMAKE_SOURCE_DIR}/tests/doctest_main.cpp ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} doctest::doctest)
  target_compile_definitions(${T_NAME} PRIVATE
    CAIRN_SOURCE_DIR="${CMAKE_SOURCE_DIR}" CAIRN_BINARY_DIR="${CMAKE_BINARY_DIR}")
  if(T_XVFB)
    add_test(NAME ${T_NAME}
      COMMAND xvfb-run -a -s "-screen 0 1600x1000x24 +extension GLX"
              $<TARGET_FILE:${T_NAME}>)
  else()
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  # ASan + UBSan make a program 2-3 times slower: the sanitizer tree gives each test three times
  # its deadline (a guard against hangs, not an assertion; timing assertions inside tests stay).
  if(CAIRN_SANITIZE)
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * 3")
  endif()
  set(env "CAIRN_TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp;CAIRN_BIN_DIR=${CMAKE_BINARY_DIR}/apps")
  # Mesa's GL driver leaks a few bytes per window from a library it has unloaded by exit, which
  # LeakSanitizer can neither name nor suppress; X tests keep ASan and UBSan but not leak checks
  # (the other tests keep them).
  if(T_XVFB AND CAIRN_SANITIZE)
    list(APPEND env "ASAN_OPTIONS=detect_leaks=0")
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${T_LABELS}" ENVIRONMENT "${env}")
endfunction()

# cairn_add_fuzz(NAME <name> SOURCES <files...> LIBS <targets...> [CORPUS <dir>])
# A libFuzzer target (LLVMFuzzerTestOneInput). With -DCAIRN_FUZZ=ON and clang it links
# -fsanitize=fuzzer for real fuzzing (tests/fuzz/run.sh); otherwise it links
# tests/fuzz/fuzz_driver.cpp, which replays the corpus and a few thousand seeded mutations of it,
# and runs as an ordinary CTest test so every parser's fuzz target is exercised on every CI run.
# Besides CORPUS it replays corpus/<name>/ and crashes/ beside the calling CMakeLists.txt (where
# run.sh writes what it finds), whether or not they exist yet.
function(cairn_add_fuzz)
  cmake_parse_arguments(F "" "NAME;CORPUS" "SOURCES;LIBS" ${ARGN})
  if(CAIRN_FUZZ AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    add_executable(${F_NAME} ${F_SOURCES})
    target_compile_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${F_NAME} ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_driver.cpp ${F_SOURCES})
    add_test(NAME ${F_NAME} COMMAND ${F_NAME} ${F_CORPUS} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/${F_NAME}
                                    ${CMAKE_CURRENT_SOURCE_DIR}/crashes)
    set(timeout 300)
    if(CAIRN_SANITIZE)
      set(timeout 900)  # three times the deadline under ASan + UBSan, as in cairn_add_test
    endif()
    set_tests_properties(${F_NAME} PROPERTIES LABELS "fuzz" TIMEOUT ${timeout})
  endif()
  target_link_libraries(${F_NAME} PRIVATE ${F_LIBS})
endfunction()

# libFuzzer targets, included at the end of the dagrad project's configuration by
# project_include.cmake (tools/fuzz.sh configures a clang build with
# -fsanitize=fuzzer-no-link,address,undefined). Each target links the fuzzer's main; the code
# under test carries the coverage instrumentation.
set(fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
foreach(target expression idx weights)
  add_executable(${target}_fuzz ${fuzz_dir}/${target}_fuzz.cpp ${fuzz_dir}/fuzz_files.cpp)
  target_link_libraries(${target}_fuzz PRIVATE dagrad::dagrad)
  target_link_options(${target}_fuzz PRIVATE -fsanitize=fuzzer)
  set_target_properties(${target}_fuzz PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
endforeach()
target_link_libraries(expression_fuzz PRIVATE dagrad_cli_lib)

# Injected into the dagrad project by tools/fuzz.sh (CMAKE_PROJECT_dagrad_INCLUDE), so the fuzz
# targets are built by the project's own CMakeLists without it knowing about them. It runs right
# after project(), before the library and the tool's library exist: the targets are defined once
# the whole project has been read (a deferred call's arguments are expanded when it runs, hence
# the variable).
set(DAGRAD_FUZZ_TARGETS ${CMAKE_CURRENT_LIST_DIR}/targets.cmake)
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL include ${DAGRAD_FUZZ_TARGETS})

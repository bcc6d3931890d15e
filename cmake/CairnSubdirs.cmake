# cairn_add_subdirectories(): add every subfolder of the current source folder that has its own
# CMakeLists.txt, in sorted order. Each such folder is one library (or, under tests/, one
# library's tests), so adding a folder adds it to the build and parallel work never edits the
# parent. CAIRN_SKIP_DIRS (a developer's cache variable, e.g. -DCAIRN_SKIP_DIRS=a;b) leaves out
# folders that are mid-edit.
function(cairn_add_subdirectories)
  file(GLOB subdirs LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT subdirs)
  foreach(sub IN LISTS subdirs)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${sub}/CMakeLists.txt AND NOT sub IN_LIST CAIRN_SKIP_DIRS)
      add_subdirectory(${sub})
    endif()
  endforeach()
endfunction()

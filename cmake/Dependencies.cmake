# Finds every outside library once, from Debian's packages, as imported targets named deps::NAME.
# SQLCipher is the only SQL engine: never link libsqlite3 beside it (same symbols, see DESIGN).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
add_library(deps::sodium ALIAS PkgConfig::SODIUM)
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
add_library(deps::sqlcipher ALIAS PkgConfig::SQLCIPHER)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
add_library(deps::git2 ALIAS PkgConfig::LIBGIT2)
# libgit2's SSH library, initialised by cairn_gitsrc before libgit2 (see agent/gitsrc/src/scan.cpp).
pkg_check_modules(LIBSSH2 REQUIRED IMPORTED_TARGET libssh2)
add_library(deps::ssh2 ALIAS PkgConfig::LIBSSH2)
# zlib, already loaded with libgit2: Cairn's own pack reader inflates with it (agent/gitsrc).
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
add_library(deps::zlib ALIAS PkgConfig::ZLIB)
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
add_library(deps::ical ALIAS PkgConfig::LIBICAL)
pkg_check_modules(XCB REQUIRED IMPORTED_TARGET xcb xcb-sync)
add_library(deps::xcb ALIAS PkgConfig::XCB)
pkg_check_modules(XCB_SCREENSAVER REQUIRED IMPORTED_TARGET xcb-screensaver)
add_library(deps::xcb_screensaver ALIAS PkgConfig::XCB_SCREENSAVER)
pkg_check_modules(XCB_TEST REQUIRED IMPORTED_TARGET xcb-xtest)  # tests fake input with XTEST
add_library(deps::xcb_xtest ALIAS PkgConfig::XCB_TEST)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(deps::httplib ALIAS PkgConfig::HTTPLIB)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(doctest REQUIRED)

if(CAIRN_BUILD_UI)
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  pkg_check_modules(GLFW REQUIRED IMPORTED_TARGET glfw3)
  find_package(OpenGL REQUIRED)
  add_library(deps::imgui INTERFACE IMPORTED)
  target_link_libraries(deps::imgui INTERFACE PkgConfig::IMGUI PkgConfig::GLFW OpenGL::GL ${CMAKE_DL_LIBS})
endif()

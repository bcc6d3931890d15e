#!/usr/bin/env bash
# Configures and builds Cairn into ./build (RelWithDebInfo, installs to /usr when packaged).
# `build.sh` builds everything; `build.sh TARGET...` builds only those targets (scripts/test.sh
# builds the programs, the packaging files and the benchmarks this way). Installing or packaging
# (cpack) does not rebuild the whole tree first (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY): it needs the
# installed programs built, nothing else.
# Uses ccache when it is installed (a developer's machine), plain compilers otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON "${launcher[@]}" >/dev/null
targets=()
[ $# -gt 0 ] && targets=(--target "$@")
cmake --build build -j"$(nproc)" "${targets[@]}"

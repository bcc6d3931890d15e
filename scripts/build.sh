#!/usr/bin/env bash
# Configures and builds Cairn into ./build (RelWithDebInfo, installs to /usr when packaged).
# Uses ccache when it is installed (a developer's machine), plain compilers otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr "${launcher[@]}" >/dev/null
cmake --build build -j"$(nproc)"

#!/usr/bin/env bash
# Configures and builds Cairn into ./build (RelWithDebInfo, installs to /usr when packaged).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build build -j"$(nproc)"

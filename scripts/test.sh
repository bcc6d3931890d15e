#!/usr/bin/env bash
# Sets everything up and runs every test: installs packages, builds, runs CTest (X11 and panel
# tests under Xvfb, the package test in a fresh debootstrap root). Ends with CTest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j2 --timeout 900

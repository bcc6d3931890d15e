#!/usr/bin/env bash
# Sets everything up and runs every test: installs packages, builds, runs CTest (X11 and panel
# tests under Xvfb, the package test in a fresh debootstrap root). With CAIRN_SANITIZE_SUITE=1 it
# then builds the whole tree again with AddressSanitizer + UndefinedBehaviorSanitizer into
# build-asan/ and runs the suite there too (not yet on by default in CI: see docs/security.md).
# Ends with CTest's summary; fails if any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
status=0
(cd build && ctest --output-on-failure -j2 --timeout 900) || status=1
if [ "${CAIRN_SANITIZE_SUITE:-0}" != 1 ]; then
  exit $status
fi

# The sanitizer tree (ccache keeps rebuilds short; the time is printed so CI can watch its budget).
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_SANITIZE=ON "${launcher[@]}" >/dev/null
start=$(date +%s)
cmake --build build-asan -j"$(nproc)"
echo "test.sh: the ASan + UBSan build took $(( $(date +%s) - start )) s"
# Left out under the sanitizers, by label:
#   installer  builds and installs the Debian packages of the normal tree in a debootstrap root;
#              it tests packaging, not code, and the packages must not carry ASan.
#   bench      smoke runs of the benchmarks, which assert time and memory budgets (the daemon's
#              10 MiB RSS) that ASan's shadow memory and slowdown break by design.
(cd build-asan && ctest --output-on-failure -j2 --timeout 1800 -LE 'installer|bench') || status=1
exit $status

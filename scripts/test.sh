#!/usr/bin/env bash
# Sets everything up and runs every test, in two trees: installs packages, builds build/ and runs
# CTest there (X11 and panel tests under Xvfb, the package test in a fresh debootstrap root), then
# builds the whole tree again with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/
# and runs the suite there too, the panel included (docs/security.md, "Sanitizers"). CI (.ci/run)
# runs exactly this; CAIRN_SKIP_SANITIZERS=1 leaves the second tree out, for a developer's quick
# loop only.
#
# What the sanitizer tree leaves out, by label, and why (every one of them runs in build/):
#   installer  builds and installs the Debian packages of the normal tree in a debootstrap root;
#              it tests packaging, not code, and the packages must not carry ASan.
#   bench      smoke runs of the benchmarks, which assert time and memory budgets (the daemon's
#              10 MiB RSS) that ASan's shadow memory and slowdown break by design.
# Narrower sanitizer-only allowances live beside the test they concern (grep CAIRN_SANITIZE).
#
# Ends with both trees' CTest summaries and the time each build and run took (CI's budget is 60
# minutes for the whole script on 2 cores); exits non-zero if either run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

status=0
report=()
now() { date +%s; }

# ctest_run DIR NAME ARGS...: runs CTest in DIR, keeps its output in DIR/ctest.log for the summary.
ctest_run() {
  local dir=$1 name=$2
  shift 2
  local start
  start=$(now)
  if ! ctest --test-dir "$dir" --output-on-failure -j2 "$@" 2>&1 | tee "$dir/ctest.log"; then
    status=1
  fi
  report+=("$name tests: $(( $(now) - start )) s")
}

start=$(now)
bash scripts/build.sh
report+=("build/ build: $(( $(now) - start )) s")
ctest_run build build/ --timeout 900

if [ "${CAIRN_SKIP_SANITIZERS:-0}" != 1 ]; then
  launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_SANITIZE=ON \
    -DCAIRN_BUILD_UI=ON "${launcher[@]}" >/dev/null
  start=$(now)
  cmake --build build-asan -j"$(nproc)"
  report+=("build-asan/ build: $(( $(now) - start )) s")
  # A UBSan finding stops the program (-fno-sanitize-recover) with the stack that led to it.
  export UBSAN_OPTIONS=print_stacktrace=1
  ctest_run build-asan build-asan/ --timeout 1800 -LE 'installer|bench'
fi

echo
echo "==== test.sh summary"
for dir in build build-asan; do
  [ -f "$dir/ctest.log" ] || continue
  [ "$dir" = build-asan ] && [ "${CAIRN_SKIP_SANITIZERS:-0}" = 1 ] && continue
  echo "-- $dir/ (ASan + UBSan: $([ "$dir" = build-asan ] && echo yes || echo no))"
  sed -n '/% tests passed/,$p' "$dir/ctest.log"
done
printf '%s\n' "${report[@]}"
[ "$status" = 0 ] && echo "test.sh: every run passed" || echo "test.sh: FAILED (see the summaries above)"
exit $status

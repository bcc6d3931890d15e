#!/usr/bin/env bash
# Sets everything up and runs every test, split over two trees (what CI's `.ci/run` runs):
#   build/       the normal tree (what the packages ship): the programs, the packaging files and
#                the benchmarks, and the tests that must see them unsanitized (labels below);
#   build-asan/  the whole tree again with AddressSanitizer + UndefinedBehaviorSanitizer
#                (LeakSanitizer too, except under Xvfb): every other test, the panel included.
# Why split: CI is one 2-core machine without ccache and `.ci/run` must stay under 60 minutes.
# An ASan + UBSan compile costs about three times a normal one, so building and running the whole
# suite in both trees would need about 55 minutes; each test runs once in the tree that can judge
# it (docs/security.md, "Sanitizers", has the figures). Every test runs in at least one tree:
#   build/ only  installer  packages the normal tree and installs it in a debootstrap root; the
#                           packages must not carry ASan.
#                bench      benchmark smoke runs asserting time and memory budgets (the daemon's
#                           10 MiB RSS) that ASan's shadow memory and slowdown break by design.
#   both         hardening  memory_test: mlock() is a no-op under ASan, so locked pages are
#                           asserted in build/ only.
#                abuse      aggregator_abuse_test: its 64 MiB peak-RSS bound holds in build/ only
#                           (ASan's quarantine keeps freed memory).
#   build-asan/  every other test.
# CAIRN_SKIP_SANITIZERS=1 (a developer's quick loop only, never CI) builds and runs everything in
# build/ and leaves build-asan/ out.
# Narrower sanitizer-only allowances live beside the test they concern (grep CAIRN_SANITIZE and
# __SANITIZE_ADDRESS__).
#
# Ends with both trees' CTest summaries and the time each build and run took; exits non-zero if
# either run failed.
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
if [ "${CAIRN_SKIP_SANITIZERS:-0}" = 1 ]; then
  bash scripts/build.sh
  report+=("build/ build: $(( $(now) - start )) s")
  ctest_run build build/ --timeout 900
else
  bash scripts/build.sh apps/all installer/all tests/bench/all memory_test aggregator_abuse_test
  report+=("build/ build: $(( $(now) - start )) s")
  ctest_run build build/ --timeout 900 -L 'installer|bench|hardening|abuse'

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

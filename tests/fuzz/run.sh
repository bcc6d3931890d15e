#!/usr/bin/env bash
# Fuzzes one target for real: tests/fuzz/run.sh TARGET SECONDS
#
# Configures a clang-14 libFuzzer build in build-fuzz/ when there is none (ASan + UBSan, every
# library instrumented for coverage), builds TARGET, and runs it single-process on a scratch copy
# of its corpus (tests/fuzz/<area>/corpus/TARGET/, plus the seed folder its CMakeLists names) for
# SECONDS. Afterwards the inputs that add coverage are merged back into the repo's corpus folder
# (libFuzzer's -merge keeps that minimal) and any crash, leak, timeout or out-of-memory input is
# copied to tests/fuzz/<area>/crashes/ as TARGET-<kind>-<hash>, which the ordinary (non-fuzz)
# build's CTest run replays from then on. Prints executions and coverage; exits 1 on a finding.
set -euo pipefail
usage="usage: tests/fuzz/run.sh TARGET SECONDS   (targets: tests/fuzz/*/*_fuzz.cpp)"
target=${1:?$usage}
secs=${2:?$usage}
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$(ls "$root"/tests/fuzz/*/"$target".cpp 2>/dev/null | head -n1 || true)
if [[ -z "$src" ]]; then
  echo "run.sh: no fuzz target named $target (expected tests/fuzz/<area>/$target.cpp)" >&2
  exit 2
fi
area_dir=$(dirname "$src")
area=$(basename "$area_dir")
bdir="$root/build-fuzz"

if [[ ! -f "$bdir/build.ninja" ]]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  # fuzzer-no-link on every library: libFuzzer only steers by the coverage of instrumented code.
  cmake -S "$root" -B "$bdir" -G Ninja -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCAIRN_FUZZ=ON -DCAIRN_SANITIZE=ON -DCAIRN_BUILD_UI=OFF -DBUILD_TESTING=ON \
    -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link "${launcher[@]}"
fi
cmake --build "$bdir" --target "$target" -j"${JOBS:-2}"
bin="$bdir/tests/fuzz/$area/$target"

corpus="$area_dir/corpus/$target"
mkdir -p "$corpus"
# A seed folder named by CORPUS in the target's cairn_add_fuzz() call, if any.
seeds=()
block=$(tr '\n' ' ' <"$area_dir/CMakeLists.txt" | grep -o "cairn_add_fuzz(NAME $target [^)]*)" || true)
seed=$(sed -n 's/.*CORPUS \([^ )]*\).*/\1/p' <<<"$block")
seed=${seed//'${CMAKE_SOURCE_DIR}'/$root}
seed=${seed//'${CMAKE_CURRENT_SOURCE_DIR}'/$area_dir}
[[ -n "$seed" && -d "$seed" ]] && seeds+=("$seed")

work=$(mktemp -d "${TMPDIR:-/tmp}/cairn-fuzz-$target.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
cp -r "$corpus"/. "$work/corpus/"

echo "run.sh: fuzzing $target for $secs s (corpus $(ls "$corpus" | wc -l) files${seeds:+, seeds ${seeds[*]}})"
set +e
(cd "$work" && ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0} "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "${seeds[@]}") >"$work/log" 2>&1
rc=$?
set -e

# Keep what adds coverage (edges, not hit counts, so the folder stays small), minimised against
# what the repo already holds.
"$bin" -merge=1 -use_counters=0 "$corpus" "$work/corpus" >"$work/merge.log" 2>&1 || true

found=0
for f in "$work"/artifacts/*; do
  [[ -f "$f" ]] || continue
  mkdir -p "$area_dir/crashes"
  cp "$f" "$area_dir/crashes/$target-$(basename "$f")"
  echo "run.sh: FINDING $area_dir/crashes/$target-$(basename "$f")"
  found=1
done

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n1 || true)
cov=$( (grep -o 'cov: [0-9]* ft: [0-9]*' "$work/log" || true) | tail -n1)
added=$( (grep -o 'MERGE-OUTER: [0-9]* new files' "$work/merge.log" || true) | tail -n1)
echo "run.sh: $target: ${runs:-?} executions in $secs s, ${cov:-cov: ?}, corpus now $(ls "$corpus" | wc -l) files (${added:-merge: ?})"
if [[ $found -ne 0 || ( $rc -ne 0 && -z "$runs" ) ]]; then
  tail -n 40 "$work/log"
  exit 1
fi

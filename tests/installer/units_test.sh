#!/bin/bash
# units_test.sh BUILD_DIR: `systemd-analyze verify` must accept every systemd unit the packages
# install, exactly as installed. The units are staged with `cmake --install` (both components) into
# a scratch DESTDIR; verify needs each ExecStart= binary to exist, so the staged copies are checked
# with /usr/bin/ and /usr/libexec/ rewritten to the staged directories (nothing else changes), and `man` looks for
# the Documentation= pages in the staged man directory. verify exits 0 on mere warnings (unknown
# keys, bad values), so any line it prints about our units fails the test too.
set -euo pipefail

build=$(realpath "${1:?usage: units_test.sh BUILD_DIR}")
work="$build/installer-units-test"
stage="$work/stage"
rm -rf "$work"
mkdir -p "$work/units" "$work/runtime"
chmod 0700 "$work/runtime"

fail() { printf 'units_test: FAIL: %s\n' "$*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"

# Stage both packages' files; this also proves the install rules of every program exist.
for component in Unspecified aggregator; do
  DESTDIR="$stage" cmake --install "$build" --prefix /usr --component "$component" \
    >>"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "cmake --install failed"; }
done

mapfile -t units < <(find "$stage" -path '*/systemd/*' \( -name '*.service' -o -name '*.timer' \) | sort)
[ "${#units[@]}" -ge 4 ] || fail "expected the user and system units in the staged tree, found ${#units[@]}"

man_ok=no
command -v man >/dev/null && man_ok=yes
status=0
for unit in "${units[@]}"; do
  name=$(basename "$unit")
  # Units carry the configured prefix (/usr for packages, /usr/local in a default developer
  # build); the stage is installed with --prefix /usr, so both point into it.
  sed -e "s|/usr/local/bin/|/usr/bin/|g" -e "s|/usr/bin/|$stage/usr/bin/|g" \
      -e "s|/usr/local/libexec/|/usr/libexec/|g" -e "s|/usr/libexec/|$stage/usr/libexec/|g" "$unit" >"$work/units/$name"
  mode=(--system)
  [[ "$unit" == */systemd/user/* ]] && mode=(--user)
  target="$work/units/$name"
  # A template is verified through one of its instances.
  [[ "$name" == *@.service ]] && target="$work/units/${name%@.service}@leader.service"
  while read -r exe; do
    [ -x "$exe" ] || fail "$name: ExecStart binary $exe was not installed"
  done < <(sed -n 's/^ExecStart=[-@:+!]*\([^ ]*\).*/\1/p' "$work/units/$name")
  out=$(XDG_RUNTIME_DIR="$work/runtime" MANPATH="$stage/usr/share/man" \
        systemd-analyze verify "${mode[@]}" --man="$man_ok" "$target" 2>&1) || status=$?
  if [ "$status" -ne 0 ] || grep -q -e "$name" -e "${name%@.service}@" <<<"$out"; then
    printf '%s\n' "$out"
    fail "systemd-analyze verify ${mode[*]} rejected $name (exit $status)"
  fi
  printf 'units_test: %s (%s): verify OK%s\n' "$name" "${mode[0]#--}" \
    "$([ "$man_ok" = yes ] && echo ', man page found')"
done
printf 'units_test: %d unit files verified\n' "${#units[@]}"

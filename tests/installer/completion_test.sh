#!/bin/bash
# completion_test.sh SOURCE_DIR CAIRN_BINARY: drives the bash completion function as bash would
# (COMP_WORDS/COMP_CWORD) against the real `cairn` binary and checks what it offers: every
# subcommand `cairn ... --help` lists, options, the choices of `consent grant`. It also reports
# where the fallback tree in installer/completion/cairn.bash (used only when cairn cannot run)
# differs from the program.
set -euo pipefail

src=$(realpath "${1:?usage: completion_test.sh SOURCE_DIR CAIRN_BINARY}")
cairn_bin=$(realpath "${2:?usage: completion_test.sh SOURCE_DIR CAIRN_BINARY}")
fail() { printf 'completion_test: FAIL: %s\n' "$*" >&2; exit 1; }
[ -x "$cairn_bin" ] || fail "$cairn_bin is not built"

# The completion calls `cairn` from PATH; put the build's binary first.
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
ln -s "$cairn_bin" "$bindir/cairn"
export PATH="$bindir:$PATH"
export CAIRN_HOME="$bindir/home"

# shellcheck source=/dev/null
source "$src/installer/completion/cairn.bash"

complete_words() {  # prints the sorted candidates for the words given (the last is being typed)
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _cairn
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {  # expect "<candidates>" words...
  local want="$1"; shift
  local got
  got=$(complete_words "$@")
  [ "$got" = "$want" ] || fail "completing '$*': got '$got', want '$want'"
  printf 'completion_test: %-28s -> %s\n' "'$*'" "$got"
}

# Subcommands from the program's own help (CLI11's "Subcommands:" section).
subcommands_of() {
  "$cairn_bin" "$@" --help 2>/dev/null |
    awk '/^[A-Za-z ]*:$/ {s=$0} s=="Subcommands:" && /^  [a-z]/ {print $1}' | sort | tr '\n' ' ' |
    sed 's/ $//'
}
top=$(subcommands_of)
[ -n "$top" ] || fail "cairn --help lists no subcommands"
for path in "" consent share privacy activity; do
  if [ -n "$path" ] && [[ " $top " != *" $path "* ]]; then
    printf 'completion_test: note: cairn has no "%s" subcommand yet\n' "$path"
    continue
  fi
  # shellcheck disable=SC2086  # an empty path must vanish
  real=$(subcommands_of $path)
  # shellcheck disable=SC2086
  expect "$real" cairn $path ""
  fallback=$(_cairn_static_subcommands "$path" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
  [ "$fallback" = "$real" ] ||
    printf 'completion_test: note: fallback tree for "%s" is "%s", the program has "%s"\n' \
      "$path" "$fallback" "$real"
done

expect "consent contributions" cairn co
expect "grant" cairn --home /tmp consent g
expect "--as --from --help --to" cairn activity mark --
expect "activity activity-titles calendar git self" cairn consent grant ""
expect "--email --help --ics --repo" cairn consent grant --
top_opts=$(complete_words cairn --)
for opt in --help --version --home; do
  [[ " $top_opts " == *" $opt "* ]] || fail "'cairn --' does not offer $opt (got: $top_opts)"
done
printf 'completion_test: top-level options: %s\n' "$top_opts"

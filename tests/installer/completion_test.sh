#!/bin/bash
# completion_test.sh SOURCE_DIR CAIRN_BINARY: drives the bash completion function as bash would
# (COMP_WORDS/COMP_CWORD) and checks what it offers, against the real `cairn` binary: the
# subcommand tree written in installer/completion/cairn.bash must equal the one `cairn --help`
# prints, so the two cannot drift apart.
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
for path in "" consent share privacy; do
  # shellcheck disable=SC2086  # an empty path must vanish
  real=$(subcommands_of $path)
  [ -n "$real" ] || fail "cairn $path --help lists no subcommands"
  # shellcheck disable=SC2086
  expect "$real" cairn $path ""
done

expect "consent" cairn co
expect "grant" cairn --home /tmp consent g
expect "approve" cairn share ap
top_opts=$(complete_words cairn --)
for opt in --help --version --home; do
  [[ " $top_opts " == *" $opt "* ]] || fail "'cairn --' does not offer $opt (got: $top_opts)"
done
printf 'completion_test: top-level options: %s\n' "$top_opts"
grant_values=$(complete_words cairn consent grant "")
printf 'completion_test: consent grant offers: %s\n' "${grant_values:-(file names: cairn prints no value set)}"

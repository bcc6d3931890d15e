#!/bin/bash
# desktop_test.sh SOURCE_DIR: the desktop entry and the autostart entry pass desktop-file-validate,
# name an icon and a program that the packages ship, and the icon is a well-formed SVG.
set -euo pipefail

src=$(realpath "${1:?usage: desktop_test.sh SOURCE_DIR}")
fail() { printf 'desktop_test: FAIL: %s\n' "$*" >&2; exit 1; }
command -v desktop-file-validate >/dev/null ||
  fail "desktop-file-validate is missing (apt-get install desktop-file-utils)"

for entry in "$src"/installer/desktop/*.desktop; do
  out=$(desktop-file-validate "$entry" 2>&1) || { printf '%s\n' "$out"; fail "$(basename "$entry") is invalid"; }
  [ -z "$out" ] || { printf '%s\n' "$out"; fail "$(basename "$entry") has validator hints"; }
  grep -qx 'Icon=cairn' "$entry" || fail "$(basename "$entry") does not use Icon=cairn"
  grep -qx 'Exec=cairn-panel' "$entry" || fail "$(basename "$entry") does not start cairn-panel"
  printf 'desktop_test: %s valid\n' "$(basename "$entry")"
done

icon="$src/installer/icons/cairn.svg"
python3 - "$icon" <<'EOF' || fail "cairn.svg is not a well-formed SVG"
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
assert root.get("viewBox"), "no viewBox: the icon would not scale"
EOF
printf 'desktop_test: cairn.svg well-formed\n'

#!/usr/bin/env bash
# Sets everything up and starts Cairn: installs packages, builds, creates a vault on first run
# (you choose the passphrase), and opens the self-reflection panel. Without a display it shows the
# command-line view instead (`cairn status`, `cairn consent list`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
bin=build/apps
if [ -n "${DISPLAY:-}" ] && [ -x "$bin/cairn-panel/cairn-panel" ]; then
  exec "$bin/cairn-panel/cairn-panel" "$@"
fi
echo "No display: here is Cairn on the command line (the panel needs an X display)."
if ! "$bin/cairn/cairn" status >/dev/null 2>&1; then
  if [ -t 0 ]; then
    "$bin/cairn/cairn" init
  else
    echo "Run '$bin/cairn/cairn init' in a terminal to create your vault."
  fi
fi
"$bin/cairn/cairn" status || true
"$bin/cairn/cairn" consent list
echo "Next: $bin/cairn/cairn consent grant activity; $bin/cairn/cairn agent; $bin/cairn/cairn log \"what changed and for whom\""

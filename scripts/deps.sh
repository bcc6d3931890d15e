#!/usr/bin/env bash
# Installs every Debian 12 package Cairn needs to build, test, package and run. Idempotent.
# Used by run.sh, test.sh and CI; root or sudo required.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-14 libclang-rt-14-dev
  # libraries
  libsodium-dev libsqlcipher-dev libgit2-dev libssh2-1-dev zlib1g-dev libical-dev
  libxcb1-dev libxcb-sync-dev libxcb-screensaver0-dev libxcb-xtest0-dev
  libwayland-dev libwayland-bin wayland-protocols plasma-wayland-protocols libsystemd-dev
  libimgui-dev libglfw3-dev libgl-dev libx11-dev libgl1-mesa-dri
  libcli11-dev nlohmann-json3-dev libcpp-httplib-dev libssl-dev doctest-dev
  # runtime and tests: a real X server, fonts, time zones, test certificates for HTTPS
  xvfb xauth x11-utils fonts-dejavu-core tzdata openssl ca-certificates
  # Wayland tests: headless compositors (sway, weston, mutter, gnome-shell, KWin), a client and
  # input for sway (weston's demo clients are KWin's windows). kwin-wayland adds 141 packages,
  # 40 MB to fetch, about 25 s to unpack and configure.
  sway foot wtype weston mutter gnome-shell kwin-wayland dbus
  # packaging and its checks
  dpkg-dev lintian debootstrap desktop-file-utils help2man systemd
)

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "deps: ${#packages[@]} packages present"

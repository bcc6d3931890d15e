#!/bin/bash
# package_test.sh BUILD_DIR SOURCE_DIR: builds the two Debian packages with CPack, runs lintian on
# them (no errors allowed), installs them with `dpkg -i` + `apt-get -f install` in a fresh Debian 12
# root made by debootstrap, runs `cairn --version`, `cairn init` (passphrase on stdin),
# `cairn-aggregator --version` and `cairn-aggregator init` there, then removes and purges them and
# checks what stayed and what went. Needs root (skips with exit 77 otherwise) and the host packages
# lintian, debootstrap, dpkg-dev, help2man. If debootstrap cannot build a root (no archive), it
# falls back to installing on this machine and says so.
# The debootstrap tarball and the downloaded .debs are cached under BUILD_DIR/installer-cache, so
# a rerun needs no download beyond `apt-get update`.
set -euo pipefail

build=$(realpath "${1:?usage: package_test.sh BUILD_DIR SOURCE_DIR}")
source_dir=$(realpath "${2:?usage: package_test.sh BUILD_DIR SOURCE_DIR}")
cache="$build/installer-cache"
work="$build/installer-test"
mirror="${CAIRN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
start=$(date +%s)

say() { printf 'package_test: %s\n' "$*"; }
fail() { printf 'package_test: FAIL: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  say "SKIP: needs root (debootstrap, chroot, dpkg -i); run ctest -L installer as root"
  exit 77
fi
for tool in cpack lintian debootstrap dpkg-deb dpkg-shlibdeps chroot; do
  command -v "$tool" >/dev/null ||
    fail "$tool is missing: apt-get install lintian debootstrap dpkg-dev help2man desktop-file-utils"
done

root="$work/root"
mounted_proc=""
cleanup() {
  if [ -n "$mounted_proc" ]; then umount "$root/proc" 2>/dev/null || umount -l "$root/proc" || true; fi
}
trap cleanup EXIT

# A run killed before its trap leaves proc mounted in the old root: never rm -rf through it.
if mountpoint -q "$root/proc" 2>/dev/null; then umount "$root/proc" || umount -l "$root/proc"; fi
rm -rf --one-file-system "$work"
mkdir -p "$work" "$cache/archives"

# ---- 1. The build tree. Packages must come from a tree configured for /usr, because the paths
# compiled into the programs (libexec helpers) must be the packaged ones. Reuse the tree under test
# when it is (like every CTest test, it expects that tree built); otherwise configure and build a
# packaging tree of our own (slow the first time).
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
pkg_build="$build"
if [ "$prefix" != "/usr" ]; then
  pkg_build="$cache/pkg-build"
  say "the build tree installs to '$prefix'; building a /usr packaging tree in $pkg_build"
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$source_dir" -B "$pkg_build" "${generator[@]}" -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >"$work/configure.log" 2>&1 ||
    { tail -30 "$work/configure.log"; fail "configuring the packaging tree failed"; }
  cmake --build "$pkg_build" -j2 >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log"; fail "building the packaging tree failed"; }
fi

# ---- 2. cpack
say "cpack -G DEB in $pkg_build"
(cd "$pkg_build" && cpack -G DEB -B "$work/packages") >"$work/cpack.log" 2>&1 ||
  { tail -30 "$work/cpack.log"; fail "cpack failed (is the whole tree built? cmake --build $pkg_build)"; }
user_deb=$(ls "$work"/packages/cairn_*.deb)
agg_deb=$(ls "$work"/packages/cairn-aggregator_*.deb)
say "built $(basename "$user_deb") and $(basename "$agg_deb")"

# Each package holds what it must and not the other's programs.
contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
contents "$user_deb" >"$work/cairn.files"
contents "$agg_deb" >"$work/cairn-aggregator.files"
for f in /usr/bin/cairn /usr/bin/cairn-panel /usr/libexec/cairn/cairn-agentd \
         /usr/libexec/cairn/cairn-scan /usr/libexec/cairn/cairn-scan-calendar \
         /usr/libexec/cairn/cairn-upload /usr/lib/systemd/user/cairn-upload.service \
         /usr/lib/systemd/user/cairn-upload.timer \
         /usr/lib/systemd/user/cairn-agent.service \
         /usr/share/applications/cairn-panel.desktop /etc/xdg/autostart/cairn-panel.desktop \
         /usr/share/icons/hicolor/scalable/apps/cairn.svg /usr/share/man/man1/cairn.1.gz \
         /usr/share/man/man1/cairn-panel.1.gz /usr/share/bash-completion/completions/cairn \
         /usr/share/doc/cairn/copyright /usr/share/doc/cairn/changelog.Debian.gz; do
  grep -qx "$f" "$work/cairn.files" || fail "cairn package lacks $f"
done
for f in /usr/bin/cairn-aggregator /usr/lib/systemd/system/cairn-aggregator@.service \
         /usr/lib/sysusers.d/cairn-aggregator.conf /usr/share/man/man1/cairn-aggregator.1.gz \
         /etc/default/cairn-aggregator-leader /etc/default/cairn-aggregator-helper \
         /usr/share/doc/cairn-aggregator/copyright; do
  grep -qx "$f" "$work/cairn-aggregator.files" || fail "cairn-aggregator package lacks $f"
done
if grep -q 'cairn-aggregator$' "$work/cairn.files"; then
  fail "the cairn package carries the aggregator binary (install it with COMPONENT aggregator)"
fi
say "package contents OK; cairn Depends: $(dpkg-deb -f "$user_deb" Depends)"
say "cairn-aggregator Depends: $(dpkg-deb -f "$agg_deb" Depends)"

# ---- 3. lintian: no errors. Suppressed tags, each unavoidable here:
#  initial-upload-closes-no-bugs: asks for the ITP bug number of a package entering Debian's
#    archive; these packages are distributed by the organization, not uploaded to Debian.
say "lintian"
lintian_status=0
lintian --fail-on error --suppress-tags initial-upload-closes-no-bugs \
  "$user_deb" "$agg_deb" >"$work/lintian.log" 2>&1 || lintian_status=$?
cat "$work/lintian.log"
[ "$lintian_status" -eq 0 ] || fail "lintian reported errors (exit $lintian_status)"

# ---- 4. A fresh Debian 12 root.
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
              LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
tarball="$cache/bookworm-minbase.tgz"
use_chroot=1
if [ ! -s "$tarball" ]; then
  say "debootstrap --make-tarball (first run only)"
  rm -rf "$cache/mk-root"
  if ! debootstrap --variant=minbase --make-tarball="$tarball.part" bookworm "$cache/mk-root" \
         "$mirror" >"$work/debootstrap-make.log" 2>&1; then
    tail -5 "$work/debootstrap-make.log"
    use_chroot=0
  else
    mv "$tarball.part" "$tarball"
  fi
  rm -rf "$cache/mk-root"
fi
if [ "$use_chroot" = 1 ]; then
  say "debootstrap --unpack-tarball into $root"
  if ! debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$root" "$mirror" \
         >"$work/debootstrap.log" 2>&1; then
    tail -5 "$work/debootstrap.log"
    use_chroot=0
  fi
fi

if [ "$use_chroot" = 1 ]; then
  mount -t proc proc "$root/proc" && mounted_proc=1
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # No service may start inside the chroot (Debian's policy-rc.d convention).
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  cp "$cache"/archives/*.deb "$root/var/cache/apt/archives/" 2>/dev/null || true
  mkdir -p "$root/tmp/debs"
  cp "$user_deb" "$agg_deb" "$root/tmp/debs/"
  run=(in_root)
  debs=(/tmp/debs/"$(basename "$user_deb")" /tmp/debs/"$(basename "$agg_deb")")
  where="a fresh Debian 12 root made by debootstrap ($root)"
else
  say "NOTE: debootstrap could not build a root; installing on THIS machine instead"
  root=""
  run=(env DEBIAN_FRONTEND=noninteractive)
  debs=("$user_deb" "$agg_deb")
  where="this machine (debootstrap fallback)"
fi
say "installing in $where"

# ---- 5. dpkg -i, then apt-get -f install for the dependencies dpkg-shlibdeps recorded.
"${run[@]}" apt-get update -qq >"$work/apt-update.log" 2>&1 ||
  { cat "$work/apt-update.log"; fail "apt-get update failed"; }
"${run[@]}" dpkg -i "${debs[@]}" >"$work/dpkg-i.log" 2>&1 || true  # dependencies are missing
"${run[@]}" apt-get -f install -y -q --no-install-recommends >"$work/apt-f-install.log" 2>&1 ||
  { tail -30 "$work/apt-f-install.log"; fail "apt-get -f install failed"; }
for pkg in cairn cairn-aggregator; do
  # shellcheck disable=SC2016  # the dpkg-query format is literal
  status=$("${run[@]}" dpkg-query -W -f='${db:Status-Status}' "$pkg")
  [ "$status" = "installed" ] || { cat "$work/dpkg-i.log"; fail "$pkg is '$status' after install"; }
done
if [ -n "$root" ]; then cp -n "$root"/var/cache/apt/archives/*.deb "$cache/archives/" 2>/dev/null || true; fi
say "installed: $(grep -c '^Setting up' "$work/apt-f-install.log") packages set up by apt-get -f install"

# Every program finds its libraries.
for bin in /usr/bin/cairn /usr/bin/cairn-panel /usr/bin/cairn-aggregator \
           /usr/libexec/cairn/cairn-agentd /usr/libexec/cairn/cairn-scan /usr/libexec/cairn/cairn-scan-calendar \
           /usr/libexec/cairn/cairn-upload; do
  if "${run[@]}" ldd "$bin" | grep -q 'not found'; then
    "${run[@]}" ldd "$bin" | grep 'not found'
    fail "$bin misses libraries: a runtime dependency is wrong"
  fi
done

# ---- 6. Run the programs as a user would.
version=$("${run[@]}" cairn --version) || fail "cairn --version failed"
say "cairn --version: $version"
agg_version=$("${run[@]}" cairn-aggregator --version) || fail "cairn-aggregator --version failed"
say "cairn-aggregator --version: $agg_version"

home_dir=/tmp/cairn-package-test-home
"${run[@]}" rm -rf "$home_dir"
"${run[@]}" mkdir -p "$home_dir"
# The output holds the recovery code, a secret even here: keep it in the log file, never print it.
if ! printf 'correct horse battery staple\ncorrect horse battery staple\n' |
     "${run[@]}" env CAIRN_HOME="$home_dir" HOME="$home_dir" cairn init >"$work/cairn-init.log" 2>&1; then
  fail "cairn init with a passphrase on standard input failed (see $work/cairn-init.log)"
fi
vault=$("${run[@]}" find "$home_dir" -name vault -type f)
[ -n "$vault" ] || fail "cairn init created no vault under CAIRN_HOME"
mode=$("${run[@]}" stat -c %a "$vault")
[ "$mode" = 600 ] || fail "the vault has mode $mode, not 600"
say "cairn init: created $vault (mode $mode)"

state=/var/lib/cairn-aggregator/leader
"${run[@]}" getent passwd cairn-aggregator >/dev/null || fail "no system user cairn-aggregator"
"${run[@]}" runuser -u cairn-aggregator -- cairn-aggregator init --role leader --org "Package Test" --dir "$state" \
  >"$work/aggregator-init.log" 2>&1 || { cat "$work/aggregator-init.log"; fail "cairn-aggregator init failed"; }
say "cairn-aggregator init --role leader as user cairn-aggregator: OK"

if [ -n "$root" ]; then
  [ -L "$root/etc/systemd/user/graphical-session.target.wants/cairn-agent.service" ] ||
    fail "postinst did not enable the agent's user unit for all users"
  say "cairn-agent.service enabled globally (graphical-session.target.wants)"
  [ -L "$root/etc/systemd/user/timers.target.wants/cairn-upload.timer" ] ||
    fail "postinst did not enable the uploader's timer for all users"
  say "cairn-upload.timer enabled globally (timers.target.wants)"
fi

# ---- 7. Remove keeps data; purge deletes the aggregator state and says so, never a user's data.
"${run[@]}" apt-get remove -y -q cairn cairn-aggregator >"$work/remove.log" 2>&1 ||
  { cat "$work/remove.log"; fail "apt-get remove failed"; }
"${run[@]}" test -d "$state" || fail "apt-get remove deleted $state"
"${run[@]}" test -f "$vault" || fail "apt-get remove deleted the user's vault"
"${run[@]}" test ! -e /usr/bin/cairn || fail "/usr/bin/cairn is still there after remove"
say "apt-get remove: programs gone, $state and the user's vault kept"

"${run[@]}" apt-get purge -y -q cairn cairn-aggregator >"$work/purge.log" 2>&1 ||
  { cat "$work/purge.log"; fail "apt-get purge failed"; }
grep '^cairn' "$work/purge.log" || true
grep -q "removing /var/lib/cairn-aggregator" "$work/purge.log" || fail "purge did not say what it removed"
"${run[@]}" test ! -e /var/lib/cairn-aggregator || fail "purge left /var/lib/cairn-aggregator"
"${run[@]}" test -f "$vault" || fail "purge deleted the user's vault"
for f in /etc/xdg/autostart/cairn-panel.desktop /etc/default/cairn-aggregator-leader \
         /etc/systemd/user/graphical-session.target.wants/cairn-agent.service \
         /etc/systemd/user/timers.target.wants/cairn-upload.timer; do
  "${run[@]}" test ! -e "$f" || fail "purge left $f"
done
for pkg in cairn cairn-aggregator; do
  # shellcheck disable=SC2016  # the dpkg-query format is literal
  if "${run[@]}" dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qv '^not-installed$'; then
    fail "$pkg is still known to dpkg after purge"
  fi
done
say "apt-get purge: /var/lib/cairn-aggregator and conffiles gone, the user's vault kept"

if [ -n "$root" ]; then
  cleanup; mounted_proc=""
  rm -rf --one-file-system "$root"
else
  rm -rf "$home_dir"
fi
say "done in $(( $(date +%s) - start )) s on $where"

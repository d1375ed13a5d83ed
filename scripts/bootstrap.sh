#!/usr/bin/env bash
# Installs what zstd-kit needs to build and test, from Debian and nothing else.
# Idempotent: every step checks before it acts. Run as root on Debian 12.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
zstd_version=1.5.4
zstd_tarball=libzstd_1.5.4+dfsg2.orig.tar.xz
zstd_sha256=8cf4bbb65e77ec348d052c8d6230eba66d435bddf64c8b5be2fcb16880c19953
third_party="$root/third_party"
zstd_dir="$third_party/zstd"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  echo "bootstrap: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Toolchain: Emscripten (emcc 3.1.6), CMake + GoogleTest for the native build, clang with its
# sanitizer and libFuzzer runtimes (libclang-rt-14-dev) for the fuzz targets, clang-format for the
# format check, the zstd CLI for interop tests, Chromium for browser tests, xz to unpack the source.
apt_install emscripten cmake make g++ libgtest-dev clang libclang-rt-14-dev clang-format zstd chromium xz-utils \
  ca-certificates dpkg-dev

# libzstd source from Debian's source package, checksum verified, into an ignored folder.
if [ ! -f "$zstd_dir/lib/zstd.h" ]; then
  mkdir -p "$third_party/download"
  tarball="$third_party/download/$zstd_tarball"
  if [ ! -f "$tarball" ] || ! echo "$zstd_sha256  $tarball" | sha256sum -c --status; then
    src_list=/etc/apt/sources.list.d/zstd-kit-src.sources
    if [ ! -f "$src_list" ]; then
      as_root tee "$src_list" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
      apt_updated=0
    fi
    if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
    (cd "$third_party/download" && apt-get source --download-only -qq "zstd=${zstd_version}+dfsg2-5" 2>/dev/null \
      || apt-get source --download-only -qq zstd)
  fi
  echo "$zstd_sha256  $tarball" | sha256sum -c --quiet
  rm -rf "$zstd_dir.tmp" && mkdir -p "$zstd_dir.tmp"
  tar -xJf "$tarball" -C "$zstd_dir.tmp" --strip-components=1
  rm -rf "$zstd_dir" && mv "$zstd_dir.tmp" "$zstd_dir"
fi
echo "bootstrap: libzstd $zstd_version source at ${zstd_dir#$root/}"

#!/bin/sh
# Install every build/test dependency on Debian 12 (run as root). Idempotent:
# when everything is present it only checks and returns.
set -eu
# libc6-dev-arm64-cross: the static arm64 Linux tools dom0 runs (tests/dom0).
# gcc-arm-linux-gnueabihf: the AArch32 (A32/T32) test guests (tests/guests32).
# clang-format: make lint checks the C layout with it.
# libclang-rt-14-dev: libFuzzer and the sanitizer runtimes for clang (only
# recommended by clang, and recommends are not installed).
PKGS="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm \
device-tree-compiler libfdt-dev:arm64 libfdt1 python3-pytest cpio clang clang-format \
libclang-rt-14-dev lld make e2fsprogs gcc-arm-linux-gnueabihf"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "deps: missing:$missing (run 'make deps' as root)" >&2
    exit 1
fi
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
export DEBIAN_FRONTEND=noninteractive
"$(dirname "$0")/apt-update.sh"
apt-get install -y -qq --no-install-recommends $missing

#!/bin/sh
# Fetch Debian's Xen 4.17 hypervisor (arm64) into .cache/ for the parity tests
# and benchmarks. Nothing fetched here is ever committed (.cache/ is ignored).
# Result: .cache/xen/xen, the EFI/Image-format hypervisor QEMU can boot with -kernel.
# Idempotent: returns at once when the binary is already there.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache"
out="$cache/xen/xen"
pkg=xen-hypervisor-4.17-arm64

if [ -s "$out" ]; then
    exit 0
fi

mkdir -p "$cache/deb"
cd "$cache/deb"
if ! ls ${pkg}_*_arm64.deb >/dev/null 2>&1; then
    # apt-get update only when the package lists are stale or missing.
    apt-get download "$pkg:arm64" || { "$top/scripts/apt-update.sh" && apt-get download "$pkg:arm64"; }
fi
deb=$(ls ${pkg}_*_arm64.deb | head -n 1)

rm -rf "$cache/xen/root"
mkdir -p "$cache/xen/root"
dpkg-deb -x "$deb" "$cache/xen/root"

# The package installs /boot/xen-4.17-arm64 (the exact name carries the version).
bin=$(ls "$cache"/xen/root/boot/xen-4.17*-arm64 | head -n 1)
cp "$bin" "$out.tmp"
mv "$out.tmp" "$out"
echo "fetch-xen: $out from $(basename "$deb")"

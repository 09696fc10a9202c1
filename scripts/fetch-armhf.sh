#!/bin/sh
# Fetch Debian's 32-bit ARM guest software the AArch32 Linux tests boot, into
# .cache/ (ignored, never committed), as scripts/fetch-guests.sh does for arm64:
#   .cache/linux-armhf/zImage     Debian's linux-image-armmp-lpae kernel (armhf
#                                 vmlinuz-* is a self-decompressing zImage)
#   .cache/linux-armhf/version    its release string, e.g. 6.1.0-56-armmp-lpae
#   .cache/linux-armhf-armmp/     the same for the non-LPAE flavour (linux-image-armmp:
#                                 short-descriptor page tables, 32-bit TTBRs, DACR)
#   .cache/busybox-armhf/busybox  busybox-static:armhf (scripts/mkinitramfs.py --arch armhf)
# The versioned kernel package is the one the linux-image-armmp-lpae metapackage
# depends on. Idempotent; `apt-get update` runs only when a download fails. Adds
# the armhf architecture to apt (only .debs are downloaded, nothing installed).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache"
debs="$cache/deb-armhf"

if [ -s "$cache/linux-armhf/zImage" ] && [ -s "$cache/linux-armhf-armmp/zImage" ] &&
    [ -s "$cache/busybox-armhf/busybox" ]; then
    exit 0
fi

updated=no
apt_update() {
    [ $updated = yes ] && return 0
    updated=yes
    "$top/scripts/apt-update.sh"
}
dpkg --print-foreign-architectures | grep -qx armhf || { dpkg --add-architecture armhf; apt_update; }

# download NAME[=VERSION]: the armhf .deb into $debs unless one is there.
download() {
    name=${1%%=*}
    # shellcheck disable=SC2086 # the glob is intended
    if ls "$debs"/${name}_*_armhf.deb >/dev/null 2>&1; then
        return 0
    fi
    (cd "$debs" && { apt-get download -q "$name:armhf${1#"$name"}" ||
        { apt_update && apt-get download -q "$name:armhf${1#"$name"}"; }; })
}

mkdir -p "$debs"

# kernel META DIR: the zImage of the kernel package metapackage META depends on,
# into .cache/DIR (zImage and version) unless there.
kernel() {
    meta=$1
    out="$cache/$2"
    [ -s "$out/zImage" ] && return 0
    download "$meta"
    metadeb=$(ls "$debs"/${meta}_*_armhf.deb | tail -n 1)
    dep=$(dpkg-deb -f "$metadeb" Depends | tr ',' '\n' |
        sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)
    depver=$(dpkg-deb -f "$metadeb" Depends | tr ',' '\n' | grep "^ *$dep " |
        sed -n 's/.*(= *\([^)]*\)).*/\1/p' | head -n 1)
    [ -n "$dep" ] || { echo "fetch-armhf: cannot resolve $meta's kernel package" >&2; exit 1; }
    download "$dep${depver:+=$depver}"
    kdeb=$(ls "$debs"/"$dep"_*_armhf.deb | tail -n 1)
    rm -rf "$out"
    mkdir -p "$out/root"
    dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$out/root" ./boot
    release=${dep#linux-image-}
    vmlinuz="$out/root/boot/vmlinuz-$release"
    # A zImage carries the magic 0x016f2818 at offset 0x24.
    magic=$(dd if="$vmlinuz" bs=1 skip=36 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')
    [ "$magic" = 18286f01 ] || { echo "fetch-armhf: $vmlinuz is not a zImage" >&2; exit 1; }
    echo "$release" >"$out/version"
    cp "$vmlinuz" "$out/zImage.tmp"
    mv "$out/zImage.tmp" "$out/zImage"
    echo "fetch-armhf: $out/zImage from $(basename "$kdeb")"
}

kernel linux-image-armmp-lpae linux-armhf
kernel linux-image-armmp linux-armhf-armmp

if ! [ -s "$cache/busybox-armhf/busybox" ]; then
    download busybox-static
    bdeb=$(ls "$debs"/busybox-static_*_armhf.deb | tail -n 1)
    rm -rf "$cache/busybox-armhf"
    mkdir -p "$cache/busybox-armhf/root"
    dpkg-deb -x "$bdeb" "$cache/busybox-armhf/root"
    cp "$cache/busybox-armhf/root/bin/busybox" "$cache/busybox-armhf/busybox.tmp"
    mv "$cache/busybox-armhf/busybox.tmp" "$cache/busybox-armhf/busybox"
    echo "fetch-armhf: $cache/busybox-armhf/busybox from $(basename "$bdeb")"
fi

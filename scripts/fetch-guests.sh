#!/bin/sh
# Fetch the unmodified guest software the Linux tests boot, into .cache/ (ignored,
# never committed):
#   .cache/linux/Image       Debian's linux-image-cloud-arm64 kernel (arm64 Image;
#                            Debian's vmlinuz-* is already an uncompressed Image)
#   .cache/linux/modules     its modules tree (lib/modules/<version>)
#   .cache/linux/version     the kernel release string, e.g. 6.1.0-56-cloud-arm64
#   .cache/busybox/busybox   busybox-static:arm64 (for scripts/mkinitramfs.py)
# The versioned kernel package is the one the linux-image-cloud-arm64 metapackage
# depends on. Idempotent: returns at once when everything is there; `apt-get update`
# runs only when a download fails. Needs apt with the arm64 architecture added
# (`make deps` does that) and dpkg-deb.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache"
debs="$cache/deb"
meta=linux-image-cloud-arm64

if [ -s "$cache/linux/Image" ] && [ -d "$cache/linux/modules" ] && [ -s "$cache/busybox/busybox" ]; then
    exit 0
fi

updated=no
apt_update() {
    [ $updated = yes ] && return 0
    updated=yes
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
    fi
    "$top/scripts/apt-update.sh"
}

# download NAME[=VERSION]: the arm64 .deb into $debs unless a matching one is there.
download() {
    name=${1%%=*}
    case $1 in *=*) ver=$(echo "${1#*=}" | sed 's/:/%3a/') ;; *) ver='*' ;; esac
    # shellcheck disable=SC2086 # the glob is intended
    if ls "$debs"/${name}_${ver}_arm64.deb >/dev/null 2>&1; then
        return 0
    fi
    (cd "$debs" && { apt-get download -q "$name:arm64${1#"$name"}" ||
        { apt_update && apt-get download -q "$name:arm64${1#"$name"}"; }; })
}

# newest .deb of NAME in $debs (by dpkg's version order)
newest() {
    best=""
    for f in "$debs/$1"_*_arm64.deb; do
        [ -f "$f" ] || continue
        if [ -z "$best" ] || dpkg --compare-versions "$(dpkg-deb -f "$f" Version)" gt \
            "$(dpkg-deb -f "$best" Version)"; then
            best=$f
        fi
    done
    [ -n "$best" ] || { echo "fetch-guests: no $1 package in $debs" >&2; exit 1; }
    echo "$best"
}

mkdir -p "$debs"

# ---- kernel ----
if ! [ -s "$cache/linux/Image" ] || ! [ -d "$cache/linux/modules" ]; then
    download "$meta"
    metadeb=$(newest "$meta")
    # Depends: linux-image-6.1.0-NN-cloud-arm64 (= 6.1.x-y); the metapackage pins it.
    dep=$(dpkg-deb -f "$metadeb" Depends | tr ',' '\n' | sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)
    depver=$(dpkg-deb -f "$metadeb" Depends | tr ',' '\n' | grep "^ *$dep " |
        sed -n 's/.*(= *\([^)]*\)).*/\1/p' | head -n 1)
    if [ -z "$dep" ]; then
        # Fall back to what apt says the metapackage depends on.
        dep=$(apt-cache depends "$meta:arm64" | sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1)
    fi
    [ -n "$dep" ] || { echo "fetch-guests: cannot resolve $meta's kernel package" >&2; exit 1; }
    download "$dep${depver:+=$depver}"
    kdeb=$(newest "$dep")
    rm -rf "$cache/linux"
    mkdir -p "$cache/linux/root"
    dpkg-deb -x "$kdeb" "$cache/linux/root"
    release=${dep#linux-image-}
    vmlinuz="$cache/linux/root/boot/vmlinuz-$release"
    [ -s "$vmlinuz" ] || { echo "fetch-guests: $vmlinuz missing in $(basename "$kdeb")" >&2; exit 1; }
    # An arm64 Image carries "ARM\x64" at offset 56; refuse anything else (e.g. gzip).
    magic=$(dd if="$vmlinuz" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')
    [ "$magic" = 41524d64 ] || { echo "fetch-guests: $vmlinuz is not an arm64 Image" >&2; exit 1; }
    ln -s "root/lib/modules/$release" "$cache/linux/modules"
    echo "$release" >"$cache/linux/version.tmp"
    mv "$cache/linux/version.tmp" "$cache/linux/version"
    cp "$vmlinuz" "$cache/linux/Image.tmp"
    mv "$cache/linux/Image.tmp" "$cache/linux/Image"
    echo "fetch-guests: $cache/linux/Image from $(basename "$kdeb")"
fi

# ---- busybox ----
if ! [ -s "$cache/busybox/busybox" ]; then
    download busybox-static
    bdeb=$(newest busybox-static)
    rm -rf "$cache/busybox"
    mkdir -p "$cache/busybox/root"
    dpkg-deb -x "$bdeb" "$cache/busybox/root"
    cp "$cache/busybox/root/bin/busybox" "$cache/busybox/busybox.tmp"
    mv "$cache/busybox/busybox.tmp" "$cache/busybox/busybox"
    echo "fetch-guests: $cache/busybox/busybox from $(basename "$bdeb")"
fi

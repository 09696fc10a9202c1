#!/usr/bin/python3
"""Fetch Debian 12's unmodified Xen 4.17 userspace (arm64) for the dom0 file system.

  /usr/bin/python3 scripts/fetch-xen-tools.py        (idempotent; `make guests-fetch` runs it)

Result, in .cache/ (ignored, never committed):
  .cache/xen-tools/root/       the chosen files of the packages below, extracted as dpkg
                               would place them, plus every shared library they need
  .cache/xen-tools/manifest    one line per package taken ("name version"), after a
                               line naming this script's selection; the tree is complete
                               when this file exists and its first line matches
The .debs go to .cache/deb (shared with scripts/fetch-guests.sh), downloaded with
`apt-get download NAME:arm64` (`apt-get update` only when a download fails).

What is taken:
  * TOOLS: the toolstack packages whole (xen-utils-4.17, xen-utils-common,
    xenstore-utils), and the few programs its scripts call that busybox does not
    provide as Debian's scripts expect (bash for the hotplug scripts, flock and choom,
    start-stop-daemon, the LSB init functions, ip, brctl, mke2fs).
  * Libraries: not a hand list. Every ELF file taken is read for its DT_NEEDED
    sonames; a soname no file in the tree provides is looked for among the packages the
    taken ones depend on (Depends/Pre-Depends, every alternative), whose file lists are
    read from their .debs; a package that ships a wanted soname is taken whole (less its
    documentation) and its own ELF files are read in turn. Stops when every soname is
    found, and fails naming the sonames no dependency provides.
"""

import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".cache"
DEBS = CACHE / "deb"
OUT = CACHE / "xen-tools"
ROOT = OUT / "root"
MANIFEST = OUT / "manifest"
ARCH = "arm64"

# package -> the paths to take from it (a path ending in "/" takes what is under it);
# None takes the whole package (less DROP).
TOOLS = {
    "xen-utils-4.17": None,
    "xen-utils-common": None,
    "xenstore-utils": None,
    # Debian's /bin/sh, which runs /etc/init.d/xen: a busybox sh built "standalone"
    # would run its own start-stop-daemon applet instead of dpkg's (whose --test then
    # starts the daemons it should only look for).
    "dash": ["bin/dash", "bin/sh"],
    # Debian's hotplug scripts (/etc/xen/scripts/block, vif-bridge) are bash scripts;
    # bash is also root's login shell on the console.
    "bash": ["bin/bash"],
    # locking.sh takes its locks with flock; the init script starts xenstored under choom.
    "util-linux": ["usr/bin/flock", "usr/bin/choom"],
    # /etc/init.d/xen: start-stop-daemon --retry/--oknodo, /lib/lsb/init-functions.
    "dpkg": ["sbin/start-stop-daemon"],
    "sysvinit-utils": ["lib/init/vars.sh", "lib/lsb/"],
    # vif-bridge / xen-network-common.sh: `ip link set ... master`, brctl when present.
    "iproute2": ["bin/ip", "sbin/ip", "sbin/bridge"],
    "bridge-utils": ["sbin/brctl"],
    # The PV disk's ext4 file system is made in dom0 (busybox's mke2fs makes ext2 only).
    "e2fsprogs": ["sbin/mke2fs", "sbin/mkfs.ext4", "etc/mke2fs.conf"],
}
# Never taken from any package: documentation and what only a full system reads.
DROP = ("usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/",
        "usr/share/lintian/", "usr/share/bug/", "usr/share/bash-completion/",
        "usr/share/doc-base/",
        # glibc's iconv modules: nothing here converts character sets.
        "usr/lib/aarch64-linux-gnu/gconv/")
# Sonames loaded with dlopen(), which no DT_NEEDED names: glibc opens libgcc_s.so.1
# for pthread_cancel and thread unwinding (without it `xl create` aborts with
# "libgcc_s.so.1 must be installed for pthread_cancel to work").
DLOPENED = {"libc.so.6": ["libgcc_s.so.1"]}
# Where Debian's arm64 dynamic linker finds libraries without an ld.so.cache.
LIBDIRS = ("lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib", "usr/lib")


def log(msg: str) -> None:
    print(f"fetch-xen-tools: {msg}", flush=True)


def spec_id() -> str:
    text = json.dumps([TOOLS, DROP, LIBDIRS, DLOPENED], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ---- apt and dpkg-deb ----

_updated = False


def _apt_update() -> None:
    global _updated
    if _updated:
        return
    _updated = True
    foreign = subprocess.run(["dpkg", "--print-foreign-architectures"], check=True,
                             capture_output=True, text=True).stdout.split()
    if ARCH not in foreign:
        subprocess.run(["dpkg", "--add-architecture", ARCH], check=True)
    # Retries a mirror caught mid-sync; the download that follows gives the verdict.
    subprocess.run([str(Path(__file__).resolve().parent / "apt-update.sh")], check=True)


def _cached(name: str) -> list[Path]:
    return [p for p in DEBS.glob(f"{name}_*_*.deb")
            if p.name.split("_")[0] == name and p.name.endswith((f"_{ARCH}.deb", "_all.deb"))]


def _version(deb: Path) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], check=True,
                          capture_output=True, text=True).stdout.strip()


def _newer(a: str, b: str) -> bool:
    return subprocess.run(["dpkg", "--compare-versions", a, "gt", b]).returncode == 0


def deb_of(name: str, required: bool = True):
    """The newest .deb of NAME in .cache/deb, downloaded if none is there. A package
    apt does not know (a virtual one) gives None unless it is required."""
    if not _cached(name):
        cmd = ["apt-get", "download", "-q", f"{name}:{ARCH}"]
        # An "Architecture: all" package is known to apt as name:all only.
        ok = any(subprocess.run(cmd[:-1] + [f"{name}:{a}"], cwd=DEBS,
                                capture_output=True).returncode == 0 for a in (ARCH, "all"))
        if not ok:
            _apt_update()
            r = subprocess.run(cmd, cwd=DEBS, capture_output=True, text=True)
            if r.returncode != 0:
                r = subprocess.run(cmd[:-1] + [f"{name}:all"], cwd=DEBS,
                                   capture_output=True, text=True)
            if r.returncode != 0:
                if required:
                    sys.exit(f"fetch-xen-tools: apt-get download {name}:{ARCH} failed:\n"
                             + r.stderr)
                return None
    best = None
    for deb in _cached(name):
        if best is None or _newer(_version(deb), _version(best)):
            best = deb
    return best


_controls: dict = {}


def control(deb: Path) -> dict:
    if deb in _controls:
        return _controls[deb]
    text = subprocess.run(["dpkg-deb", "-f", str(deb)], check=True, capture_output=True,
                          text=True).stdout
    out, key = {}, None
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and key:
            out[key] += " " + line.strip()
        elif ":" in line:
            key, _, val = line.partition(":")
            out[key] = val.strip()
    _controls[deb] = out
    return out


def depends(deb: Path) -> list[str]:
    """Every package name in Depends and Pre-Depends, alternatives included."""
    c = control(deb)
    names = []
    for field in ("Pre-Depends", "Depends"):
        for group in c.get(field, "").split(","):
            for alt in group.split("|"):
                name = alt.strip().split(" ")[0].split(":")[0]
                if name and name not in names:
                    names.append(name)
    return names


def _wanted(path: str, paths) -> bool:
    if not path or path.startswith(DROP):
        return False
    if paths is None:
        return True
    return any(path == p or (p.endswith("/") and path.startswith(p)) for p in paths)


def extract(deb: Path, paths, root: Path = ROOT) -> list[Path]:
    """Extract the wanted members of deb into root; returns the regular files written."""
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True,
                          capture_output=True).stdout
    files = []
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for m in tar.getmembers():
            path = m.name[2:] if m.name.startswith("./") else m.name
            if not _wanted(path, paths) or m.isdir():
                continue
            dest = root / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.is_symlink() or dest.exists():
                dest.unlink()
            if m.issym():
                os.symlink(m.linkname, dest)
            elif m.islnk():
                target = m.linkname[2:] if m.linkname.startswith("./") else m.linkname
                shutil.copy2(root / target, dest)
                files.append(dest)
            elif m.isfile():
                with tar.extractfile(m) as src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out)
                os.chmod(dest, m.mode & 0o7777)
                files.append(dest)
    return files


def file_list(deb: Path) -> list[str]:
    out = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True,
                         capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(out)) as tar:
        return [m.name[2:] if m.name.startswith("./") else m.name for m in tar.getmembers()]


# ---- ELF ----

def elf_needs(path: Path):
    """(DT_NEEDED sonames, RUNPATH/RPATH dirs) of a 64-bit little-endian ELF, or None."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, _, _ = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == 2:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return [], []

    def off(vaddr):
        for v, o, sz in loads:
            if v <= vaddr < v + sz:
                return o + vaddr - v
        return None
    entries, strtab = [], None
    for i in range(dynamic[1] // 16):
        tag, val = struct.unpack_from("<qQ", data, dynamic[0] + i * 16)
        if tag == 0:
            break
        if tag == 5:
            strtab = off(val)
        entries.append((tag, val))
    if strtab is None:
        return [], []

    def string(o):
        end = data.index(b"\0", strtab + o)
        return data[strtab + o:end].decode()
    needed = [string(v) for t, v in entries if t == 1]
    needed += [d for so in needed for d in DLOPENED.get(so, []) if d not in needed]
    runpath = [d for t, v in entries if t in (15, 29) for d in string(v).split(":") if d]
    return needed, runpath


def provided(root: Path, extra_dirs=()) -> set[str]:
    names = set()
    for d in list(LIBDIRS) + list(extra_dirs):
        p = root / d.lstrip("/")
        if p.is_dir():
            names.update(x.name for x in p.iterdir())
    return names


def missing_sonames(elves: dict, root: Path = ROOT, base=None) -> dict:
    """{soname: [files needing it]} for sonames found neither in root's tree nor in
    base's (the tree root's files are laid over at run time, or None)."""
    have = provided(root) | (provided(base) if base else set())
    cache = {}
    out = {}
    for path, (needed, runpath) in elves.items():
        origin = "/" + str(path.parent.relative_to(root))
        dirs = tuple(d.replace("${ORIGIN}", origin).replace("$ORIGIN", origin) for d in runpath)
        if dirs not in cache:
            cache[dirs] = provided(root, dirs) if dirs else have
        local = cache[dirs]
        for so in needed:
            if so not in have and so not in local:
                out.setdefault(so, []).append(str(path.relative_to(root)))
    return out


# ---- the walk ----

def fetch(tools: dict = TOOLS, root: Path = ROOT, base=None,
          files_only: dict = None) -> list[tuple[str, str]]:
    """Take tools (and their library closure) into root; libraries base's tree has
    are not taken again. files_only: {package: paths} taken as they are (files such
    as configuration), whose dependencies are not followed."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    taken: dict[str, Path] = {}
    elves: dict[Path, tuple] = {}

    def take(name, deb, paths):
        taken[name] = deb
        for f in extract(deb, paths, root):
            r = elf_needs(f)
            if r is not None and not f.name.endswith(".ko"):
                elves[f] = r

    for name, paths in tools.items():
        take(name, deb_of(name), paths)

    looked: set[str] = set(taken)
    ships: dict[str, set] = {}   # package looked at, not taken -> the library files it has
    while True:
        missing = missing_sonames(elves, root, base)
        if not missing:
            break
        # A package looked at before may ship what a library taken since needs.
        known = [n for n, names in ships.items() if names & set(missing)]
        if known:
            for name in known:
                log(f"{name} for {', '.join(sorted(ships[name] & set(missing)))}")
                take(name, deb_of(name), None)
                del ships[name]
            continue
        # Candidates: what the taken packages depend on, not yet looked at; when
        # none is left, what the looked-at-but-not-taken ones depend on (a library
        # may sit behind a package that ships none itself).
        frontier = [d for n in taken for d in depends(taken[n]) if d not in looked]
        if not frontier:
            frontier = [d for n in ships for d in depends(deb_of(n)) if d not in looked]
        if not frontier:
            sys.exit(f"{Path(sys.argv[0]).stem}: no dependency provides "
                     + "; ".join(f"{so} (needed by {', '.join(sorted(set(w))[:3])})"
                                 for so, w in sorted(missing.items())))
        for name in dict.fromkeys(frontier):
            looked.add(name)
            deb = deb_of(name, required=False)
            if deb is None:
                continue
            ships[name] = {Path(p).name for p in file_list(deb)
                           if any(p.startswith(d + "/") for d in LIBDIRS)}
    for name, paths in (files_only or {}).items():
        deb = deb_of(name)
        extract(deb, paths, root)
        taken[name] = deb
    return sorted((n, _version(d)) for n, d in taken.items())


def manifest_current(manifest: Path, root: Path, ident: str) -> bool:
    """The tree at root was made from this selection (its manifest's first
    line says so): nothing to fetch."""
    return manifest.is_file() and root.is_dir() and \
        manifest.read_text().splitlines()[:1] == [f"selection {ident}"]


def write_manifest(manifest: Path, ident: str, pkgs) -> None:
    """The manifest last and atomically: a fetch cut short leaves none, so
    the next run starts again rather than trusting half a tree."""
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(f"selection {ident}\n" + "".join(f"{n} {v}\n" for n, v in pkgs))
    tmp.replace(manifest)


def main() -> None:
    ident = spec_id()
    if manifest_current(MANIFEST, ROOT, ident):
        return
    DEBS.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    MANIFEST.unlink(missing_ok=True)
    pkgs = fetch()
    write_manifest(MANIFEST, ident, pkgs)
    log(f"{ROOT}: {len(pkgs)} packages ({', '.join(n for n, _ in pkgs)})")


if __name__ == "__main__":
    main()

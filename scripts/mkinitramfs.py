#!/usr/bin/python3
"""Build the busybox initramfs the Linux guest tests boot (cpio "newc", gzip).

  /usr/bin/python3 scripts/mkinitramfs.py [--arch arm64|armhf] [--busybox .cache/busybox/busybox]
                                          [--dom0-tools build/dom0]
                                          [-o build/linux/initramfs.cpio.gz]

Input: Debian's busybox-static:arm64 (scripts/fetch-guests.sh). The archive is
written directly (no root, no mknod, no cpio tool): every entry is owned by root,
with a fixed mtime, so the same busybox gives the same bytes.

At boot /init mounts proc, sysfs and devtmpfs, prints one marker line the tests
parse, then runs a shell on the console in a loop (setsid + cttyhack, so the shell
has a controlling tty and Ctrl-C works); exiting the shell starts a new one.

  CLOISON-LINUX-UP nproc=<online CPUs> cpus=<online list> name=<tag> kernel=<release> mem_kib=<MemTotal>

<tag> is `cloison_name=<tag>` from the kernel command line (Linux hands unknown
name=value parameters to init's environment; the shell inherits it), so tests can
tell several domains apart by what they print: `echo $cloison_name`.

With `cloison.disktest=<disk>` on the kernel command line (e.g. vda), /init first
loads the virtio block modules, virtio-mmio and virtio-pci (copied from the kernel's
modules tree when it is there), mounts /dev/<disk> read-only and prints

  DISKTEST sha256=<sha256 of /disktest on that disk>     (or DISKTEST error=mount)
  DISKTEST irqs=<interrupt count of each virtio line in /proc/interrupts> ...
  DISKTEST msi=<how many of those lines are MSIs>

With `cloison.xenfront` (a domU made by `xl create`), /init loads xen-blkfront and
xen-netfront and prints `XENFRONT <module> ok` (or `fail <error>`) for each.

/sbin/poweroff and /sbin/reboot (which the kernel runs when the toolstack asks the
domain to stop: `xl shutdown`, `xl reboot`) sync and power off or reset at once.

/bin/irqcount prints the per-CPU arch_timer interrupt counts from /proc/interrupts:

  IRQCOUNT ncpu=<N> arch_timer=<count cpu0>,<count cpu1>,...

The dom0 test tools (tests/dom0, built by `make` into build/dom0) go in as
/bin/<name with - for _>: /bin/xen-foreign maps another domain's page through
/dev/xen/privcmd (needs `cloison.xenmods`); /bin/xen-ctl prints what SYSCTL
physinfo, getdomaininfolist, cpupool INFO, sched_id and DOMCTL getdomaininfo answer;
/bin/xen-mkdom builds, runs and destroys domains with the toolstack's domctls;
/bin/xen-poolrace races the pool and scheduler sysctls from every dom0 vCPU. A missing tool is an error naming
the command that builds it: the tests rely on it being there.
"""

import argparse
import gzip
import io
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = Path(os.environ.get("BUILD", REPO / "build"))
if not BUILD.is_absolute():
    BUILD = REPO / BUILD

INIT = r"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mem=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
echo "CLOISON-LINUX-UP nproc=$(nproc) cpus=$(cat /sys/devices/system/cpu/online) name=${cloison_name:-none} kernel=$(uname -r) mem_kib=$mem"
# cloison.disktest=<disk> (tests/integration/test_dom0_disk.py): load the virtio
# block driver (virtio-mmio or virtio-pci), mount the disk read-only, print its sum.
dt=$(sed -n 's/.*cloison\.disktest=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$dt" ]; then
    for m in virtio_ring virtio virtio_mmio virtio_pci_modern_dev virtio_pci_legacy_dev \
        virtio_pci virtio_blk; do
        [ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko
    done
    i=0
    while [ ! -b /dev/$dt ] && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
    mkdir -p /mnt
    if mount -o ro /dev/$dt /mnt; then
        echo "DISKTEST sha256=$(sha256sum /mnt/disktest | cut -d' ' -f1)"
        umount /mnt
    else
        echo "DISKTEST error=mount"
    fi
    echo "DISKTEST irqs=$(awk '/virtio/ {s = 0; for (i = 2; $i ~ /^[0-9]+$/; i++) s += $i; printf "%s ", s}' /proc/interrupts)"
    echo "DISKTEST msi=$(awk '/virtio/ {for (i = 2; $i ~ /^[0-9]+$/; i++); if ($i ~ /MSI/) n++} END {print n + 0}' /proc/interrupts)"
fi
# cloison.xenmods (tests/integration/test_dom0.py): load the Xen driver modules
# a toolstack needs in dom0, mount xenfs, and report what the kernel made of it.
if grep -q 'cloison\.xenmods' /proc/cmdline; then
    for m in xen-privcmd xen-evtchn xen-gntdev xenfs; do
        if insmod /lib/modules/$m.ko 2>/tmp/insmod.err; then
            echo "XENMOD $m ok"
        else
            echo "XENMOD $m fail $(cat /tmp/insmod.err)"
        fi
    done
    mkdir -p /proc/xen
    mount -t xenfs xenfs /proc/xen && echo "XENFS capabilities=$(cat /proc/xen/capabilities)"
    echo "XENDEV $(ls /dev/xen | tr '\n' ' ')"
fi
# cloison.xenfront (a domU made by `xl create`, tests/integration/test_toolstack.py):
# load the PV disk and network front-ends, as udev would for vbd and vif devices.
if grep -q 'cloison\.xenfront' /proc/cmdline; then
    for m in xen-blkfront xen-netfront; do
        if insmod /lib/modules/$m.ko 2>/tmp/insmod.err; then
            echo "XENFRONT $m ok"
        else
            echo "XENFRONT $m fail $(cat /tmp/insmod.err)"
        fi
    done
fi
# cloison.panic_after=N (the crashing "infotainment" domain of
# tests/integration/test_sched_latency.py and `make run DEMO=speedometer`): N seconds
# after userspace is up, a kernel panic (sysrq c); with panic=1 on the command line
# the kernel resets the domain a second later, and on_reboot="restart" boots it again.
pa=$(sed -n 's/.*cloison\.panic_after=\([0-9]*\).*/\1/p' /proc/cmdline)
if [ -n "$pa" ]; then
    (sleep "$pa"; echo "CLOISON-LINUX-CRASHING"; echo c > /proc/sysrq-trigger) &
fi
export PS1='~ # ' HOME=/root PATH=/sbin:/usr/sbin:/bin:/usr/bin
while true; do
    setsid cttyhack sh
    echo "CLOISON-LINUX-SHELL-EXIT"
    sleep 1
done
"""

# What the kernel runs when the toolstack asks the domain to stop (orderly_poweroff
# and orderly_reboot exec /sbin/poweroff, /sbin/reboot: `xl shutdown`, `xl reboot`).
# busybox's own applets would signal pid 1, which this /init does not handle.
POWEROFF = b"#!/bin/sh\nsync\nexec /bin/busybox poweroff -f\n"
REBOOT = b"#!/bin/sh\nsync\nexec /bin/busybox reboot -f\n"

IRQCOUNT = r"""#!/bin/sh
# Per-CPU arch_timer interrupt counts: IRQCOUNT ncpu=N arch_timer=c0,c1,...
awk 'NR == 1 { n = NF }
     /arch_timer/ { s = $2; for (i = 3; i <= n + 1; i++) s = s "," $i; t = s }
     END { print "IRQCOUNT ncpu=" n " arch_timer=" (t == "" ? "none" : t) }' /proc/interrupts
"""

S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR = 0o040000, 0o100000, 0o120000, 0o020000
MTIME = 0


def write_atomic(path: Path, data: bytes) -> None:
    """data at path, whole or not at all: written beside it under a
    per-process name (`make -j` may run two builds of one archive at once),
    then renamed over it, so a reader never sees half an archive."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


class Cpio:
    """A minimal newc writer: directories, regular files, symlinks, char devices."""

    def __init__(self):
        self.buf = io.BytesIO()
        self.ino = 1

    def _entry(self, name: str, mode: int, data: bytes = b"", rdev=(0, 0)):
        namez = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, 2 if mode & S_IFDIR else 1, MTIME, len(data),
                  0, 0, rdev[0], rdev[1], len(namez), 0]
        self.ino += 1
        hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
        self.buf.write(hdr + namez)
        self._pad()
        self.buf.write(data)
        self._pad()

    def _pad(self):
        self.buf.write(b"\0" * (-self.buf.tell() % 4))

    def dir(self, name, perm=0o755):
        self._entry(name, S_IFDIR | perm)

    def file(self, name, data: bytes, perm=0o644):
        self._entry(name, S_IFREG | perm, data)

    def symlink(self, name, target):
        self._entry(name, S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm=0o600):
        self._entry(name, S_IFCHR | perm, rdev=(major, minor))

    def finish(self) -> bytes:
        self._entry("TRAILER!!!", 0)
        self.buf.write(b"\0" * (-self.buf.tell() % 512))
        return self.buf.getvalue()


# Loaded in this order by the disk test hook (no modules.dep in the cache: the
# order is the dependency order).
VIRTIO_MODULES = ["drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio.ko",
                  "drivers/virtio/virtio_mmio.ko", "drivers/virtio/virtio_pci_modern_dev.ko",
                  "drivers/virtio/virtio_pci_legacy_dev.ko", "drivers/virtio/virtio_pci.ko",
                  "drivers/block/virtio_blk.ko"]
# Static arm64 programs from tests/dom0 (build/dom0/<name>), as /bin/<name with - for _>.
DOM0_TOOLS = ["xen_foreign", "xen_ctl", "xen_mkdom", "xen_vuart", "xen_poolrace"]
# dom0's Xen drivers (cloison.xenmods hook): privcmd first, xenfs uses it.
XEN_MODULES = ["drivers/xen/xen-privcmd.ko", "drivers/xen/xen-evtchn.ko",
               "drivers/xen/xen-gntdev.ko", "drivers/xen/xenfs/xenfs.ko"]
# A toolstack-made domU's PV disk and network (cloison.xenfront hook); no dependencies.
XENFRONT_MODULES = ["drivers/block/xen-blkfront.ko", "drivers/net/xen-netfront.ko"]


def is_aarch64_elf(data: bytes) -> bool:
    return data[:4] == b"\x7fELF" and data[18:20] == b"\xb7\x00"   # EM_AARCH64


def is_arm_elf(data: bytes) -> bool:
    return data[:4] == b"\x7fELF" and data[18:20] == b"\x28\x00"   # EM_ARM


def build(busybox: Path, modules: Path = None, dom0_tools: Path = None,
          arch: str = "arm64") -> bytes:
    data = busybox.read_bytes()
    if arch == "armhf":
        # 32-bit guests: the same /init with armhf busybox, no dom0 tools or modules.
        if not is_arm_elf(data):
            raise SystemExit(f"mkinitramfs: {busybox} is not a 32-bit ARM ELF binary")
        modules = dom0_tools = None
    elif not is_aarch64_elf(data):
        raise SystemExit(f"mkinitramfs: {busybox} is not an AArch64 ELF binary")
    c = Cpio()
    for d in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev",
              "tmp", "root"]:
        c.dir(d, 0o1777 if d == "tmp" else 0o755)
    # The kernel opens /dev/console for init before devtmpfs is mounted.
    c.chardev("dev/console", 5, 1)
    c.chardev("dev/null", 1, 3, 0o666)
    c.file("bin/busybox", data, 0o755)
    c.symlink("bin/sh", "busybox")
    c.file("init", INIT.encode(), 0o755)
    c.file("bin/irqcount", IRQCOUNT.encode(), 0o755)
    c.file("sbin/poweroff", POWEROFF, 0o755)
    c.file("sbin/reboot", REBOOT, 0o755)
    for tool in DOM0_TOOLS if dom0_tools else []:
        path = dom0_tools / tool
        if not path.is_file():
            raise SystemExit(f"mkinitramfs: {path} is missing: run `make` (tests/dom0)")
        exe = path.read_bytes()
        if not is_aarch64_elf(exe):
            raise SystemExit(f"mkinitramfs: {path} is not an AArch64 ELF binary")
        c.file("bin/" + tool.replace("_", "-"), exe, 0o755)
    c.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    if modules and (modules / "kernel").is_dir():
        c.dir("lib")
        c.dir("lib/modules")
        for m in VIRTIO_MODULES + XEN_MODULES + XENFRONT_MODULES:
            ko = modules / "kernel" / m
            if ko.is_file():
                c.file("lib/modules/" + ko.name, ko.read_bytes())
    return c.finish()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--busybox", type=Path, default=REPO / ".cache" / "busybox" / "busybox")
    ap.add_argument("--modules", type=Path, default=REPO / ".cache" / "linux" / "modules",
                    help="the kernel's lib/modules/<release> (virtio block modules)")
    ap.add_argument("--dom0-tools", type=Path, default=BUILD / "dom0",
                    help="where `make` put the tests/dom0 tools (build/dom0)")
    ap.add_argument("--arch", choices=["arm64", "armhf"], default="arm64",
                    help="armhf: for the AArch32 guests (busybox from scripts/fetch-armhf.sh)")
    ap.add_argument("-o", "--output", type=Path, default=None)
    a = ap.parse_args()
    if a.arch == "armhf":
        if a.busybox == ap.get_default("busybox"):
            a.busybox = REPO / ".cache" / "busybox-armhf" / "busybox"
        a.output = a.output or BUILD / "linux" / "initramfs-armhf.cpio.gz"
    a.output = a.output or BUILD / "linux" / "initramfs.cpio.gz"
    if not a.busybox.is_file():
        sys.exit(f"mkinitramfs: {a.busybox} is missing: run scripts/fetch-guests.sh")
    archive = build(a.busybox, a.modules, a.dom0_tools, a.arch)
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(archive)
    write_atomic(a.output, out.getvalue())
    print(f"mkinitramfs: {a.output} ({len(out.getvalue())} bytes)")


if __name__ == "__main__":
    main()

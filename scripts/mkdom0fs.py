#!/usr/bin/python3
"""Build the toolstack dom0's root file system: an initramfs (cpio "newc", uncompressed)
holding Debian 12's unmodified Xen 4.17 userspace.

  /usr/bin/python3 scripts/mkdom0fs.py [-o build/linux/dom0fs.cpio]

Inputs (all fetched into .cache/, never committed):
  .cache/xen-tools/root     the Debian packages and their libraries (scripts/fetch-xen-tools.py)
  .cache/busybox/busybox    busybox-static, the rest of the userland (scripts/fetch-guests.sh)
  .cache/linux/             Debian's cloud-arm64 kernel: its modules for dom0, and its
                            Image for the domUs (scripts/fetch-guests.sh)
  build/linux/initramfs.cpio.gz   the domUs' busybox initramfs (scripts/mkinitramfs.py)
  build/guests/xen_ctl.img        the xen_ctl test guest (`make`)
  build/guests/latency.img, spin.img   the scheduling bench's guests (`make`; left out
                                  when missing)

What dom0 gets:
  * the packages' files where dpkg puts them, /etc/default/xen from the package's
    template and /var/log/xen, as their maintainer scripts make them; Debian's
    /etc/xen/xl.conf unchanged (autoballoon "auto": xl turns it off because the
    hypervisor's command line carries dom0_mem=, which the tests always pass);
  * the modules a Debian Xen host loads (xen-privcmd, xenfs, xen-evtchn, xen-gntdev,
    xen-gntalloc, xen-blkback, xen-netback, bridge, loop) and their dependencies, with a
    modules.dep for busybox's modprobe;
  * the domU kit: /var/lib/xen/images/Image (the same Debian kernel) and initrd.cpio.gz,
    and, when scripts/fetch-armhf.sh has run, zImage + initrd-armhf.cpio.gz (armhf.cfg),
    /etc/xen/demo.cfg (a small Linux domU) and /etc/xen/linux.cfg (two vCPUs, a
    file-backed PV disk, a vif on the bridge xenbr0); xen_ctl.img and xen-ctl.cfg (the
    test guest that checks a domU's domctl/sysctl are refused, on a vPL011);
    latency.img + latency.cfg and spin.img + spin.cfg (bench/sched.py's run-time pool:
    the latency guest on a vPL011, a 3-vCPU spinner).

/bin/sh is Debian's dash and root's shell bash, as on a Debian host (busybox's applets
are linked only where no Debian program has the name). /init mounts the kernel file systems, adds what devtmpfs lacks (/dev/fd, /dev/stdin ...:
Debian's `block` hotplug script spins without them), loads the backends (udev's job on a
Debian host), runs Debian's own `/etc/init.d/xen start` (oxenstored, as Debian's default;
`cloison.xenstored=c` on the kernel command line writes XENSTORED=/usr/sbin/xenstored into
/etc/default/xen first), makes /var/lib/xen/images/disk.img (64 MiB, ext4) and the bridge
xenbr0 at 10.0.0.1/24, prints

  CLOISON-DOM0FS-UP xen=<init script's exit code> xenstored=<running daemon or none>
      xenconsoled=<yes|no> bridge=<xenbr0's address or none> kernel=<release>

and runs bash on the console (hvc0) in a loop, as scripts/mkinitramfs.py runs its shell.
With the libvirt layer (scripts/mklibvirtfs.py) unpacked over this archive, /init also
runs Debian's /etc/init.d/libvirtd after /etc/init.d/xen and prints
`CLOISON-DOM0FS-LIBVIRTD rc=<its exit code> pid=<libvirtd's pid or none>` first.
"""

import argparse
import os
import re
import stat
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mkinitramfs import BUILD, REPO, Cpio, write_atomic, is_aarch64_elf  # noqa: E402

CACHE = REPO / ".cache"
TOOLS_ROOT = CACHE / "xen-tools" / "root"
TOOLS_MANIFEST = CACHE / "xen-tools" / "manifest"

# What a Debian Xen dom0 loads: /etc/init.d/xen modprobes xenfs (which pulls in
# xen-privcmd), xen-evtchn and xen-gntdev; udev loads the backends from their
# xen-backend:* aliases; the hotplug scripts need loop and the bridge.
DOM0_MODULES = ["xen-privcmd", "xenfs", "xen-evtchn", "xen-gntdev", "xen-gntalloc",
                "xen-blkback", "xen-netback", "bridge", "loop"]
IMAGES = "var/lib/xen/images"

INIT = r"""#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /sbin /usr/bin /usr/sbin
# Symlinks for busybox's applets, where Debian's packages put no program of that name.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts   # xenconsoled's ptys
mount -t tmpfs tmpfs /dev/shm
# devtmpfs has no /dev/fd nor /dev/std*: bash's process substitution and Debian's
# block script (which reads /dev/stdin) need them.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /run/lock /run/xenstored /var/lib/xen /var/log/xen
hostname dom0
ip link set lo up

# The backends, bridge and loop: udev loads them on a Debian host.
for m in xen-blkback xen-netback bridge loop; do
    modprobe $m || echo "DOM0FS modprobe $m failed"
done

# cloison.xenstored=c: the C xenstored, the way a Debian admin selects it.
if grep -q 'cloison\.xenstored=c\b' /proc/cmdline; then
    echo 'XENSTORED=/usr/sbin/xenstored' >>/etc/default/xen
fi
/etc/init.d/xen start
xen=$?
xenstored=none
for d in oxenstored xenstored; do
    pidof $d >/dev/null && xenstored=$d && break
done
xenconsoled=no
pidof xenconsoled >/dev/null && xenconsoled=yes
# libvirtd, when the libvirt layer (scripts/mklibvirtfs.py) is loaded after this
# archive: Debian's init script, after xen's, as runlevel 2 orders them.
if [ -x /etc/init.d/libvirtd ]; then
    /etc/init.d/libvirtd start
    echo "CLOISON-DOM0FS-LIBVIRTD rc=$? pid=$(pidof libvirtd || echo none)"
fi

# The domUs' PV disk (file-backed, ext4) and the bridge their vifs join.
if [ ! -e /var/lib/xen/images/disk.img ]; then
    truncate -s 64M /var/lib/xen/images/disk.img
    mkfs.ext4 -q -F -L domu /var/lib/xen/images/disk.img
fi
bridge=none
if ip link add name xenbr0 type bridge stp_state 0 forward_delay 0 &&
    ip addr add 10.0.0.1/24 dev xenbr0 && ip link set xenbr0 up; then
    bridge=10.0.0.1
fi

echo "CLOISON-DOM0FS-UP xen=$xen xenstored=$xenstored xenconsoled=$xenconsoled bridge=$bridge kernel=$(uname -r)"
export PS1='dom0 # ' HOME=/root TERM=vt100 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
while true; do
    setsid cttyhack /bin/bash
    echo "CLOISON-LINUX-SHELL-EXIT"
    sleep 1
done
"""

DOMU_COMMON = f"""type = "pvh"
kernel = "/{IMAGES}/Image"
ramdisk = "/{IMAGES}/initrd.cpio.gz"
"""

DEMO_CFG = f"""# A small Linux domU: Debian's arm64 kernel with a busybox initramfs; its console is
# hvc0 (`xl console demo`, or `xl create -c /etc/xen/demo.cfg`; Ctrl-] detaches).
name = "demo"
{DOMU_COMMON}extra = "console=hvc0 cloison_name=demo"
memory = 128
vcpus = 1
"""

LINUX_CFG = f"""# A Linux domU with a file-backed PV disk (xvda, ext4, made by dom0's /init) and a PV
# network interface on dom0's bridge xenbr0 (dom0 is 10.0.0.1/24 there).
# cloison.xenfront loads xen-blkfront and xen-netfront in the domU's initramfs.
name = "linux"
{DOMU_COMMON}extra = "console=hvc0 cloison_name=linux cloison.xenfront"
memory = 256
maxmem = 256
vcpus = 2
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "destroy"
disk = ['format=raw,vdev=xvda,access=rw,target=/{IMAGES}/disk.img']
vif = ['bridge=xenbr0']
# Said explicitly: Xen 4.17's `xl mem-set` on arm reads `acpi` from the saved domain
# configuration and aborts (libxl_defbool_val assertion) when the config left it unset.
acpi = 0
"""


LATENCY_CFG = f"""# The latency test guest (tests/guests/cases/latency.c, poll mode, 5 s) for
# bench/sched.py: `xl create /etc/xen/latency.cfg 'pool="rt"'`, its figures on the
# vuart (`xl console -t vuart latency`).
name = "latency"
kernel = "/{IMAGES}/latency.img"
extra = "ms=5000 wait_ms=20000"
memory = 64
vcpus = 1
vuart = "sbsa_uart"
on_poweroff = "preserve"
"""

SPIN_CFG = f"""# The hostile neighbour of bench/sched.py: 3 vCPUs spinning with interrupts masked.
name = "spin"
kernel = "/{IMAGES}/spin.img"
memory = 64
vcpus = 3
"""


XEN_CTL_CFG = f"""# The tests' xen_ctl guest (tests/guests/cases/xen_ctl.c) as a toolstack domU: it
# calls domctl, sysctl, xsm_op and multicall itself, prints one verdict line
# (`xl console -t vuart xen-ctl`; console_io where the hypervisor lets a domU use
# it) and powers off; "preserve" keeps it, and its console, until `xl destroy`.
name = "xen-ctl"
kernel = "/{IMAGES}/xen_ctl.img"
memory = 64
vcpus = 1
vuart = "sbsa_uart"
on_poweroff = "preserve"
"""


ARMHF_CFG = f"""# A 32-bit (AArch32) Linux domU: Debian's armhf armmp-lpae zImage with an armhf
# busybox initramfs (scripts/fetch-armhf.sh); libxenguest sees the zImage and makes
# the domain 32-bit (DOMCTL set_address_size 32). Its console is hvc0.
name = "armhf"
type = "pvh"
kernel = "/{IMAGES}/zImage"
ramdisk = "/{IMAGES}/initrd-armhf.cpio.gz"
extra = "console=hvc0 cloison_name=armhf"
memory = 128
vcpus = 2
"""


def modinfo_depends(ko: Path) -> list[str]:
    """The `depends=` field of a module's .modinfo (comma-separated names)."""
    m = re.search(rb"(?:^|\0)depends=([^\0]*)\0", ko.read_bytes())
    return [d for d in m.group(1).decode().split(",") if d] if m else []


def module_set(modroot: Path, names: list[str]) -> dict[str, list[str]]:
    """{relative path of each module: its dependencies' relative paths, nearest first
    (modules.dep's order: modprobe loads them from the end)} for names and what they
    depend on. A module neither found nor built in is an error."""
    by_name = {}
    for ko in (modroot / "kernel").rglob("*.ko"):
        by_name[ko.stem.replace("-", "_")] = ko
    builtin = set()
    if (modroot / "modules.builtin").is_file():
        builtin = {Path(line).stem.replace("-", "_")
                   for line in (modroot / "modules.builtin").read_text().split()}
    out: dict[str, list[str]] = {}

    def visit(name: str, order: list[str]) -> None:
        """Append name's dependencies, then name, to order (a load order)."""
        key = name.replace("-", "_")
        if key in builtin and key not in by_name:
            return
        ko = by_name.get(key)
        if ko is None:
            sys.exit(f"mkdom0fs: module {name} is neither in {modroot} nor built in")
        rel = str(ko.relative_to(modroot))
        if rel in order:
            return
        for d in modinfo_depends(ko):
            visit(d, order)
        order.append(rel)

    for n in names:
        order: list[str] = []
        visit(n, order)
        for rel in order:
            # rel's own dependencies: the closure visited before it, kept in load
            # order, then reversed (modules.dep lists the nearest first).
            if rel not in out:
                sub: list[str] = []
                visit(str(Path(rel).stem), sub)
                out[rel] = list(reversed(sub[:-1]))
    return out


class Tree:
    """Adds files to a Cpio once each, parent directories first."""

    def __init__(self, cpio: Cpio):
        self.c = cpio
        self.seen: set[str] = set()

    def dir(self, path: str, perm: int = 0o755) -> None:
        path = path.strip("/")
        if not path or path in self.seen:
            return
        self.dir(os.path.dirname(path))
        self.seen.add(path)
        self.c.dir(path, perm)

    def file(self, path: str, data: bytes, perm: int = 0o644) -> None:
        path = path.strip("/")
        self.dir(os.path.dirname(path))
        if path in self.seen:
            sys.exit(f"mkdom0fs: {path} added twice")
        self.seen.add(path)
        self.c.file(path, data, perm)

    def symlink(self, path: str, target: str) -> None:
        path = path.strip("/")
        self.dir(os.path.dirname(path))
        if path in self.seen:
            sys.exit(f"mkdom0fs: {path} added twice")
        self.seen.add(path)
        self.c.symlink(path, target)

    def copy_tree(self, root: Path) -> None:
        for top, dirs, files in os.walk(root):
            dirs.sort()
            rel_top = os.path.relpath(top, root)
            for name in dirs:
                p = Path(top) / name
                rel = os.path.normpath(os.path.join(rel_top, name))
                if p.is_symlink():
                    self.symlink(rel, os.readlink(p))
                else:
                    self.dir(rel, stat.S_IMODE(p.stat().st_mode))
            for name in sorted(files):
                p = Path(top) / name
                rel = os.path.normpath(os.path.join(rel_top, name))
                if p.is_symlink():
                    self.symlink(rel, os.readlink(p))
                else:
                    self.file(rel, p.read_bytes(), stat.S_IMODE(p.stat().st_mode))


def build(busybox: Path, tools: Path, modules: Path, domu_kernel: Path,
          domu_initrd: Path, xen_ctl: Path, armhf: tuple = None,
          sched_kit: tuple = None) -> bytes:
    bb = busybox.read_bytes()
    if not is_aarch64_elf(bb):
        sys.exit(f"mkdom0fs: {busybox} is not an AArch64 ELF binary")
    release = modules.resolve().name
    c = Cpio()
    t = Tree(c)
    for d in ["bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "root",
              "run", "var", "var/lib/xen", IMAGES]:
        t.dir(d)
    t.dir("tmp", 0o1777)
    # The kernel opens /dev/console for init before devtmpfs is mounted.
    c.chardev("dev/console", 5, 1)
    c.chardev("dev/null", 1, 3, 0o666)
    t.seen.update({"dev/console", "dev/null"})
    # Debian's packages first: busybox's --install then links only the names they lack.
    t.copy_tree(tools)
    # /bin/sh is Debian's dash (from the tools tree); busybox provides the rest.
    if not (tools / "bin/sh").is_symlink():
        sys.exit(f"mkdom0fs: {tools}/bin/sh is missing: run scripts/fetch-xen-tools.py")
    t.file("bin/busybox", bb, 0o755)
    t.symlink("var/run", "/run")
    t.symlink("var/lock", "/run/lock")
    t.symlink("etc/mtab", "/proc/self/mounts")
    t.file("init", INIT.encode(), 0o755)
    t.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
    t.file("etc/group", b"root:x:0:\ntty:x:5:\nadm:x:4:\n")
    t.file("etc/hostname", b"dom0\n")
    # bash on a serial console: no bracketed-paste escapes around every prompt.
    t.file("etc/inputrc", b"set enable-bracketed-paste off\n")
    # A serial console reports no size: without one, bash wraps long command lines
    # at 80 columns by redrawing them.
    t.file("root/.bashrc", b"stty cols 250 rows 50 2>/dev/null\n")
    # What xen-utils-common's postinst does: ucf installs /etc/default/xen from the
    # template; /var/log/xen is made with mode 2750.
    template = tools / "usr/share/xen-utils-common/default.xen"
    if not template.is_file():
        sys.exit(f"mkdom0fs: {template} is missing: run scripts/fetch-xen-tools.py")
    t.file("etc/default/xen", template.read_bytes())
    t.dir("var/log/xen", 0o2750)
    # Kernel modules and the modules.dep busybox's modprobe reads.
    deps = module_set(modules, DOM0_MODULES)
    base = f"lib/modules/{release}"
    for rel in sorted(deps):
        t.file(f"{base}/{rel}", (modules / rel).read_bytes())
    dep_text = "".join(f"{rel}:{''.join(' ' + d for d in deps[rel])}\n" for rel in sorted(deps))
    t.file(f"{base}/modules.dep", dep_text.encode())
    for extra in ("modules.builtin", "modules.order"):
        if (modules / extra).is_file():
            t.file(f"{base}/{extra}", (modules / extra).read_bytes())
    # The domU kit.
    t.file(f"{IMAGES}/Image", domu_kernel.read_bytes())
    t.file(f"{IMAGES}/initrd.cpio.gz", domu_initrd.read_bytes())
    t.file("etc/xen/demo.cfg", DEMO_CFG.encode())
    t.file("etc/xen/linux.cfg", LINUX_CFG.encode())
    ctl = xen_ctl.read_bytes()
    if ctl[56:60] != b"ARM\x64":
        sys.exit(f"mkdom0fs: {xen_ctl} is not an arm64 Image")
    t.file(f"{IMAGES}/xen_ctl.img", ctl)
    t.file("etc/xen/xen-ctl.cfg", XEN_CTL_CFG.encode())
    if sched_kit:  # bench/sched.py's guests, when built
        for name, img, cfg in zip(("latency", "spin"), sched_kit, (LATENCY_CFG, SPIN_CFG)):
            t.file(f"{IMAGES}/{name}.img", img.read_bytes())
            t.file(f"etc/xen/{name}.cfg", cfg.encode())
    if armhf:  # the 32-bit domU kit, when scripts/fetch-armhf.sh has run
        zimage, initrd = armhf
        z = zimage.read_bytes()
        if z[0x24:0x28] != b"\x18\x28\x6f\x01":
            sys.exit(f"mkdom0fs: {zimage} is not a zImage")
        t.file(f"{IMAGES}/zImage", z)
        t.file(f"{IMAGES}/initrd-armhf.cpio.gz", initrd.read_bytes())
        t.file("etc/xen/armhf.cfg", ARMHF_CFG.encode())
    return c.finish()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--busybox", type=Path, default=CACHE / "busybox" / "busybox")
    ap.add_argument("--tools", type=Path, default=TOOLS_ROOT)
    ap.add_argument("--modules", type=Path, default=CACHE / "linux" / "modules")
    ap.add_argument("--domu-kernel", type=Path, default=CACHE / "linux" / "Image")
    ap.add_argument("--domu-initrd", type=Path, default=BUILD / "linux" / "initramfs.cpio.gz")
    ap.add_argument("--xen-ctl", type=Path, default=BUILD / "guests" / "xen_ctl.img")
    ap.add_argument("--armhf-kernel", type=Path, default=CACHE / "linux-armhf" / "zImage",
                    help="the 32-bit domU's zImage (left out when missing)")
    ap.add_argument("--armhf-initrd", type=Path,
                    default=BUILD / "linux" / "initramfs-armhf.cpio.gz")
    ap.add_argument("-o", "--output", type=Path, default=BUILD / "linux" / "dom0fs.cpio")
    a = ap.parse_args()
    for path, hint in [(a.busybox, "scripts/fetch-guests.sh"),
                       (a.domu_kernel, "scripts/fetch-guests.sh"),
                       (a.domu_initrd, "scripts/mkinitramfs.py"),
                       (a.xen_ctl, "`make` (build/guests)"),
                       (TOOLS_MANIFEST if a.tools == TOOLS_ROOT else a.tools,
                        "scripts/fetch-xen-tools.py")]:
        if not path.exists():
            sys.exit(f"mkdom0fs: {path} is missing: run {hint}")
    if not (a.modules / "kernel").is_dir():
        sys.exit(f"mkdom0fs: {a.modules}/kernel is missing: run scripts/fetch-guests.sh")
    armhf = ((a.armhf_kernel, a.armhf_initrd)
             if a.armhf_kernel.is_file() and a.armhf_initrd.is_file() else None)
    kit = (BUILD / "guests" / "latency.img", BUILD / "guests" / "spin.img")
    archive = build(a.busybox, a.tools, a.modules, a.domu_kernel, a.domu_initrd, a.xen_ctl,
                    armhf, kit if all(p.is_file() for p in kit) else None)
    write_atomic(a.output, archive)
    print(f"mkdom0fs: {a.output} ({len(archive)} bytes)")


if __name__ == "__main__":
    main()

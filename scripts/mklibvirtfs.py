#!/usr/bin/python3
"""Build the libvirt layer of the toolstack dom0: an initramfs archive (cpio "newc",
uncompressed) to be loaded after build/linux/dom0fs.cpio (the kernel unpacks both, in
order, into one root file system).

  /usr/bin/python3 scripts/mklibvirtfs.py [-o build/linux/libvirt.cpio]

It holds Debian 12's unmodified libvirtd with its libxl driver, virsh, their libraries
dom0fs.cpio lacks (.cache/libvirt/root, scripts/fetch-libvirt.py), and what
libvirt-daemon-system's maintainer scripts and an administrator would add on a Debian
Xen host without systemd, polkit or D-Bus:

  * /etc/libvirt/libvirtd.conf: Debian's file with, appended, root-only access over
    the read-write unix socket without polkit (auth_unix_rw/ro = "none", the socket
    mode 0700 as the file's comments ask when polkit is off) and libvirtd's log in
    /var/log/libvirt/libvirtd.log;
  * the directories libvirt-daemon-system ships (/var/lib/libvirt, /var/log/libvirt,
    /var/cache/libvirt); libvirtd makes its own under /run/libvirt;
  * /etc/default/xen with XENCONSOLED_ARGS="--log=guest" (the guests' consoles in
    /var/log/xen/console/guest-NAME.log, where a domain libvirt started is seen);
  * /etc/xen/demo.xml: the domain of /etc/xen/demo.cfg in libvirt's XML (the same
    kernel, initramfs and command line, named "vdemo").

dom0's /init (scripts/mkdom0fs.py) runs Debian's /etc/init.d/libvirtd after
/etc/init.d/xen when it is there, as a Debian host's runlevel 2 does.

Kept out of dom0fs.cpio: the other toolstack tests do not load it at every boot.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mkinitramfs import BUILD, REPO, Cpio, write_atomic  # noqa: E402
from mkdom0fs import IMAGES, Tree  # noqa: E402

CACHE = REPO / ".cache"
LIBVIRT_ROOT = CACHE / "libvirt" / "root"
LIBVIRT_MANIFEST = CACHE / "libvirt" / "manifest"
XEN_TEMPLATE = CACHE / "xen-tools" / "root" / "usr/share/xen-utils-common/default.xen"

LIBVIRTD_CONF = b"""
# scripts/mklibvirtfs.py: this dom0 has no polkit and no D-Bus; only root uses
# libvirtd, over the unix socket (as the comments above ask when polkit is off).
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_rw_perms = "0700"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
"""

# The domain of /etc/xen/demo.cfg, in libvirt's words. libvirt 9.0 offers Arm guests
# only as os type "xen" (machine xenpv: Xen's capabilities list xen-3.0-aarch64, no
# hvm-); libxl turns such a PV guest into PVH, the only type Xen on Arm has, and logs
# "Converting PV guest to PVH" in /var/log/libvirt/libxl/libxl-driver.log.
# Debian's kernel and the busybox initramfs, console on hvc0.
DEMO_XML = f"""<domain type='xen'>
  <name>vdemo</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='aarch64' machine='xenpv'>xen</type>
    <kernel>/{IMAGES}/Image</kernel>
    <initrd>/{IMAGES}/initrd.cpio.gz</initrd>
    <cmdline>console=hvc0 cloison_name=vdemo</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <console type='pty'>
      <target type='xen' port='0'/>
    </console>
  </devices>
</domain>
"""

def build(root: Path, template: Path) -> bytes:
    c = Cpio()
    t = Tree(c)
    t.copy_tree(root)
    conf = root / "etc/libvirt/libvirtd.conf"
    if not conf.is_file():
        sys.exit(f"mklibvirtfs: {conf} is missing: run scripts/fetch-libvirt.py")
    # Replaces the tree's copy: the kernel keeps the last file of a name it unpacks.
    c.file("etc/libvirt/libvirtd.conf", conf.read_bytes() + LIBVIRTD_CONF, 0o644)
    for d in ("var/lib/libvirt", "var/log/libvirt", "var/cache/libvirt",
              "var/log/xen/console"):
        t.dir(d, 0o755)
    c.file("etc/default/xen", template.read_bytes()
           + b"\n# scripts/mklibvirtfs.py: the guests' consoles in /var/log/xen/console\n"
           + b'XENCONSOLED_ARGS="--log=guest"\n', 0o644)
    c.file("etc/xen/demo.xml", DEMO_XML.encode(), 0o644)
    return c.finish()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=LIBVIRT_ROOT)
    ap.add_argument("-o", "--output", type=Path, default=BUILD / "linux" / "libvirt.cpio")
    a = ap.parse_args()
    for path, hint in [(LIBVIRT_MANIFEST if a.root == LIBVIRT_ROOT else a.root,
                        "scripts/fetch-libvirt.py"),
                       (XEN_TEMPLATE, "scripts/fetch-xen-tools.py")]:
        if not path.exists():
            sys.exit(f"mklibvirtfs: {path} is missing: run {hint}")
    archive = build(a.root, XEN_TEMPLATE)
    write_atomic(a.output, archive)
    print(f"mklibvirtfs: {a.output} ({len(archive)} bytes)")


if __name__ == "__main__":
    main()

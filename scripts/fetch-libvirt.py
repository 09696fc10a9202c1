#!/usr/bin/python3
"""Fetch Debian 12's unmodified libvirt (arm64) with its libxl driver, as a layer over
the toolstack dom0's tree of scripts/fetch-xen-tools.py.

  /usr/bin/python3 scripts/fetch-libvirt.py      (idempotent; `make guests-fetch` runs it)

Result, in .cache/ (ignored, never committed):
  .cache/libvirt/root/       the files below and every shared library they need that
                             .cache/xen-tools/root does not already hold (the two trees
                             are laid one over the other in dom0: scripts/mklibvirtfs.py)
  .cache/libvirt/manifest    one line per package taken ("name version") after a line
                             naming this selection and the xen-tools tree's; complete
                             when this file exists and its first line matches

What is taken:
  * libvirtd (libvirt-daemon) with only the libxl connection driver
    (libvirt-daemon-driver-xen): the others (network, storage, nodedev, ...) are not
    needed for domains on a Xen host and libvirtd loads only the drivers it finds;
  * virsh (libvirt-clients) and libvirt0 whole (the library, its CPU map and schemas);
  * as plain files (their dependencies not followed: systemd units, polkit and
    apparmor rules are not for this dom0): Debian's /etc/init.d/libvirtd
    (libvirt-daemon-system-sysv), /etc/default/libvirtd and the configuration files
    /etc/libvirt/libvirtd.conf and libxl.conf (libvirt-daemon-system).
Libraries are found as fetch-xen-tools.py finds them (DT_NEEDED through Depends).
"""

import hashlib
import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("fetch_xen_tools", HERE / "fetch-xen-tools.py")
fxt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fxt)

OUT = fxt.CACHE / "libvirt"
ROOT = OUT / "root"
MANIFEST = OUT / "manifest"
CONNECTION = "usr/lib/aarch64-linux-gnu/libvirt/connection-driver/"

TOOLS = {
    "libvirt-daemon": ["usr/sbin/libvirtd"],
    "libvirt-daemon-driver-xen": [CONNECTION + "libvirt_driver_libxl.so"],
    "libvirt-clients": ["usr/bin/virsh", "etc/libvirt/libvirt.conf"],
    "libvirt0": None,
}
FILES_ONLY = {
    "libvirt-daemon-system-sysv": ["etc/init.d/libvirtd"],
    "libvirt-daemon-system": ["etc/default/libvirtd", "etc/libvirt/libvirtd.conf",
                              "etc/libvirt/libxl.conf"],
}


def log(msg: str) -> None:
    print(f"fetch-libvirt: {msg}", flush=True)


def selection() -> str:
    """This selection and the xen-tools tree it lies over: a change of either
    refetches."""
    base = fxt.MANIFEST.read_text().splitlines()[:1] if fxt.MANIFEST.is_file() else []
    text = json.dumps([TOOLS, FILES_ONLY, fxt.spec_id(), base], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main() -> None:
    # The base tree first: its libraries are not taken again here.
    fxt.main()
    ident = selection()
    if fxt.manifest_current(MANIFEST, ROOT, ident):
        return
    fxt.DEBS.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    MANIFEST.unlink(missing_ok=True)
    pkgs = fxt.fetch(TOOLS, ROOT, base=fxt.ROOT, files_only=FILES_ONLY)
    fxt.write_manifest(MANIFEST, ident, pkgs)
    log(f"{ROOT}: {len(pkgs)} packages ({', '.join(n for n, _ in pkgs)})")


if __name__ == "__main__":
    main()

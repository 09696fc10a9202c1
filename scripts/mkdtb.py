#!/usr/bin/python3
"""Write a host DTB with dom0less test guests and print the QEMU command that boots it.

  scripts/mkdtb.py -o build/demo.dtb --gic 3 --hv xen hello timer smp:2

Each guest is a case name (build/guests/<case>.img) or a path to an arm64 Image,
with an optional ":<vcpus>". The DTB is the same for Cloison and Xen except for
/chosen/xen,xen-bootargs. The logic lives in tests/integration/qemu.py.
"""

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402


def parse_guest(spec):
    name, _, cpus = spec.partition(":")
    path = Path(name)
    dom = qemu.Domain(path.stem, cpus=int(cpus or 1))
    if path.suffix or "/" in name:
        dom.image = path
    return dom


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("guests", nargs="+", help="case[:vcpus] or IMAGE[:vcpus]")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--hv", default="cloison", choices=["cloison", "xen"])
    ap.add_argument("--gic", type=int, default=3)
    ap.add_argument("--cpu", default="cortex-a57")
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--mem", type=int, default=2048, help="host RAM, MiB")
    ap.add_argument("--bootargs", default=None, help="xen,xen-bootargs (default per --hv)")
    a = ap.parse_args()
    machine = qemu.Machine(gic=a.gic, cpu=a.cpu, smp=a.smp, mem_mib=a.mem)
    doms = [parse_guest(g) for g in a.guests]
    dtb = qemu.host_dtb(machine, doms, Path(a.output).resolve(), a.bootargs, a.hv)
    cmd = [qemu.QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
           "-serial", "stdio", "-monitor", "none", "-kernel", str(qemu.hv_binary(a.hv)),
           "-dtb", str(dtb), *qemu.module_loaders(doms)]
    print(shlex.join(cmd))


if __name__ == "__main__":
    main()

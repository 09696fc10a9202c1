#!/usr/bin/env python3
"""Write the seed corpora of the boot-input fuzzers into tests/fuzz/corpus/<name>/
(committed): fuzz_mm, fuzz_irqchip, fuzz_dom0_dt, fuzz_guestdt, fuzz_bootargs,
fuzz_heap and fuzz_cpupool_dt.

Device trees are small valid trees compiled with dtc (QEMU virt's own trees
for dom0_dt, dumped with `-machine dumpdtb`), each showing one thing the
parser handles, so mutations start from the interesting shapes rather than
from bytes libfdt rejects. Run from anywhere: python3 tests/fuzz/mkseeds_boot.py
(needs dtc and qemu-system-aarch64).
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from seeds_io import HERE, write


def dtb(src):
    return subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb"], input=src.encode(),
                          capture_output=True, check=True).stdout


def tree(body, root_cells=(2, 2), memreserve=""):
    ac, sc = root_cells
    return dtb(f"/dts-v1/;\n{memreserve}\n/ {{\n#address-cells = <{ac}>;\n"
               f"#size-cells = <{sc}>;\n{body}\n}};\n")


MEMORY = 'memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x80000000>; };'


def domu(name, kernel, ramdisk=None, extra=""):
    mods = (f'module@{kernel:x} {{ compatible = "multiboot,kernel", "multiboot,module"; '
            f'reg = <0x0 {kernel:#x} 0x0 0x7000>; bootargs = "console=ttyAMA0"; }};')
    if ramdisk:
        mods += (f'module@{ramdisk:x} {{ compatible = "multiboot,ramdisk", '
                 f'"multiboot,module"; reg = <0x0 {ramdisk:#x} 0x0 0x100000>; }};')
    return (f'{name} {{ compatible = "xen,domain"; #address-cells = <2>; #size-cells = <2>; '
            f'memory = <0x0 0x4000>; cpus = <1>; vpl011; {extra} {mods} }};')


def mm_seeds():
    shared = "".join(domu(f"domU{i}", 0x50000000) for i in range(1, 5))
    mixed = (domu("domU1", 0x50000000, 0x52000000) + domu("domU2", 0x50001000) +
             domu("domU3", 0x40200000) + domu("domU4", 0x10000000) +
             domu("domU5", 0x50000000, 0x52000000))
    dom0 = ('module@60000000 { compatible = "multiboot,kernel", "multiboot,module"; '
            'reg = <0x0 0x60000000 0x0 0x1000000>; bootargs = "console=hvc0"; };'
            'module@62000000 { compatible = "multiboot,ramdisk", "multiboot,module"; '
            'reg = <0x0 0x62000000 0x0 0x100000>; };')
    write("mm", {
        "shared_kernel.dtb": tree(MEMORY + f"chosen {{ #address-cells = <2>; "
                                  f"#size-cells = <2>; {shared} }};"),
        "modules.dtb": tree(MEMORY + f"chosen {{ #address-cells = <2>; #size-cells = <2>; "
                            f"{dom0} {mixed} }};"),
        "reserved.dtb": tree(MEMORY + "reserved-memory { #address-cells = <2>; "
                             "#size-cells = <2>; ranges; fw@48000000 { reg = <0x0 0x48000000 "
                             "0x0 0x100000 0x0 0x49000000 0x0 0x1000>; no-map; }; "
                             "pool { size = <0x0 0x400000>; }; };",
                             memreserve="/memreserve/ 0x44000000 0x1000;\n"
                                        "/memreserve/ 0x44000800 0x2000;"),
        "banks.dtb": tree('memory@0 { device_type = "memory"; reg = <0x0 0x0 0x0 0x50000000 '
                          '0x0 0x48000000 0x0 0x10000000 0x1 0x0 0x0 0x40000000>; }; '
                          'memory@4000000000 { device_type = "memory"; '
                          'reg = <0x40 0x0 0x1 0x0>; };'),
        "cells_1_1.dtb": tree('memory@40000000 { device_type = "memory"; '
                              'reg = <0x40000000 0x40000000>; };', root_cells=(1, 1)),
    })


def gic(compat, regs, cells=(2, 2), extra=""):
    ac, sc = cells
    reg = " ".join(f"{x:#x}" for x in regs)
    return tree(f"intc@8000000 {{ compatible = {compat}; interrupt-controller; "
                f"#interrupt-cells = <3>; reg = <{reg}>; {extra} }};", root_cells=(ac, sc))


def irqchip_seeds():
    write("irqchip", {
        "v3.dtb": gic('"arm,gic-v3"', [0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000],
                      extra="#redistributor-regions = <1>;"),
        "v3_two_regions.dtb": gic('"arm,gic-v3"', [0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0,
                                                   0x20000, 0, 0x9000000, 0, 0x40000],
                                  extra="#redistributor-regions = <2>;"),
        "v2.dtb": gic('"arm,cortex-a15-gic"', [0, 0x8000000, 0, 0x10000, 0, 0x8010000, 0,
                                               0x10000, 0, 0x8030000, 0, 0x10000, 0,
                                               0x8040000, 0, 0x10000]),
        "gic400_cells_1_1.dtb": gic('"arm,gic-400"', [0x8000000, 0x1000, 0x8010000, 0x2000,
                                                      0x8030000, 0x2000, 0x8040000, 0x2000],
                                    cells=(1, 1)),
    })


def qemu_tree(gic_version):
    with tempfile.TemporaryDirectory() as tmp:
        board = os.path.join(tmp, "board.dtb")
        subprocess.run(["qemu-system-aarch64", "-M",
                        f"virt,virtualization=on,gic-version={gic_version}", "-cpu",
                        "cortex-a57", "-smp", "2", "-m", "1024", "-nodefaults", "-display",
                        "none", "-machine", f"dumpdtb={board}"], check=True, capture_output=True)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", board], check=True,
                             capture_output=True, text=True).stdout
    with open(os.path.join(HERE, "..", "unit", "data", "dom0_chosen.dtsi")) as f:
        dts += f.read()
    return dtb(dts)


def dom0_dt_seeds():
    write("dom0_dt", {
        "virt_gicv3.dtb": qemu_tree(3),
        "virt_gicv2.dtb": qemu_tree(2),
    })


def guestdt_seeds():
    def rec(flags, vcpus, ram, ram1=0, initrd=0, args=b""):
        return struct.pack("<BBQQQ", flags, vcpus, ram, ram1, initrd) + args
    write("guestdt", {
        "plain_v3": rec(0x1, 1, 64 << 20),
        "enhanced_v2_vpl011": rec(0x2 | 0x4 | 0x8, 4, 256 << 20, args=b"console=hvc0"),
        "two_banks_initrd": rec(0x1 | 0x2, 8, 3 << 30, 1 << 30, 8 << 20,
                                b"console=ttyAMA0 root=/dev/ram0"),
        "max_vcpus": rec(0x1 | 0x4, 128, 2 << 20, args=b"x" * 511),
    })


def bootargs_seeds():
    lines = {
        "xen_typical": b"console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all",
        "dom0": b"dom0_mem=512M,max:1G dom0_max_vcpus=2 sched=credit2 conswitch=ax",
        "sizes": b"dom0_mem=0x20000000 gnttab_max_frames=128 vmid_bits=4 no-sync_console",
        "levels": b"loglvl=warning/all guest_loglvl=none/info vwfi=native ext_regions=0",
        "junk": b"=  dom0_mem= loglvl=bogus unknown_option sched=rtds -x",
    }
    write("bootargs", lines)


def heap_seeds():
    def op(kind, arg):
        return struct.pack("<BH", kind, arg)
    small = b"".join(op(0, s) for s in (1, 16, 17, 100, 2048)) + op(2, 0) + op(2, 1)
    large = op(1, 5000) + op(1, 40000) + op(0, 3000) + op(2, 0) + op(3, 0) + op(1, 65535)
    churn = b"".join(op(i % 3, 32 * i) for i in range(60))
    write("heap", {"small": small, "large": large, "churn": churn})


def cpupool_dt_seeds():
    """The unit test's trees (tests/unit/data/cpupool_*.dts), each followed by
    the host bytes fuzz_cpupool_dt.c reads past the tree (online mask, boot
    pCPU)."""
    data = os.path.join(HERE, "..", "unit", "data")
    seeds = {}
    for name in ("cpupool_good", "cpupool_bad", "cpupool_baddom"):
        out = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-i", data,
                              os.path.join(data, name + ".dts")],
                             capture_output=True, check=True).stdout
        seeds[name] = out + bytes([0x0F, 0])
        seeds[name + "_boot2"] = out + bytes([0x07, 2])
    write("cpupool_dt", seeds)


def main():
    for tool in ("dtc", "qemu-system-aarch64"):
        if not shutil.which(tool):
            sys.exit(f"mkseeds_boot: {tool} not found (make deps installs it)")
    mm_seeds()
    irqchip_seeds()
    dom0_dt_seeds()
    guestdt_seeds()
    bootargs_seeds()
    heap_seeds()
    cpupool_dt_seeds()


if __name__ == "__main__":
    main()

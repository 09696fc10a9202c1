"""dom0 and dom0less domUs boot together (issue 4): one device tree carries
dom0's kernel and ramdisk as /chosen's own modules and a `xen,domain` node."""

import subprocess
import tempfile
from pathlib import Path

import qemu
from test_dom0 import DOM0_BOOTARGS

DOM0_KERNEL, DOM0_RAMDISK = 0x60000000, 0x62000000   # after the domU module slots


def host_dtb_with_dom0(machine, domu, workdir: Path, dom0_bootargs: str = DOM0_BOOTARGS,
                       hv: str = "cloison") -> Path:
    """QEMU's tree + the dom0less block for domu (the harness; a list for
    several) + dom0's modules.
    hv="xen": Xen 4.17 boots the same tree (console by path, every guest line printed)."""
    console = qemu.XEN_BOOTARGS if hv == "xen" else "console=dtuart"
    domus = domu if isinstance(domu, list) else [domu]
    base = qemu.host_dtb(machine, domus, workdir / "domu.dtb", f"{console} dom0_mem=512M",
                         hv)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(base)], check=True,
                         capture_output=True, text=True).stdout
    kernel, ramdisk = qemu.LINUX_IMAGE, qemu.INITRAMFS
    dts += f"""
/ {{ chosen {{
    module@{DOM0_KERNEL:x} {{
        compatible = "multiboot,kernel", "multiboot,module";
        reg = <0x0 {DOM0_KERNEL:#x} 0x0 {kernel.stat().st_size:#x}>;
        bootargs = "{dom0_bootargs}";
    }};
    module@{DOM0_RAMDISK:x} {{
        compatible = "multiboot,ramdisk", "multiboot,module";
        reg = <0x0 {DOM0_RAMDISK:#x} 0x0 {ramdisk.stat().st_size:#x}>;
    }};
}}; }};
"""
    src, out = workdir / "host.dts", workdir / "host.dtb"
    src.write_text(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out), str(src)], check=True)
    return out


def test_dom0_beside_dom0less_domu(cloison, guests):
    machine = qemu.Machine(gic=3, smp=2, mem_mib=2048)
    domu = qemu.Domain("worker")
    with tempfile.TemporaryDirectory(prefix="cloison-it-") as tmp:
        dtb = host_dtb_with_dom0(machine, domu, Path(tmp))
        cmd = [qemu.QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
               "-serial", "stdio", "-monitor", "none", "-kernel", str(qemu.CLOISON_BIN),
               "-dtb", str(dtb), *qemu.module_loaders([domu]),
               "-device", f"loader,file={qemu.LINUX_IMAGE},addr={DOM0_KERNEL:#x},force-raw=on",
               "-device", f"loader,file={qemu.INITRAMFS},addr={DOM0_RAMDISK:#x},force-raw=on"]
        with qemu.Console([], machine=machine, cmd=cmd) as con:
            con.expect(r"d0 \(Domain-0\): 512 MiB RAM", timeout=60, since=0)
            con.expect(r"d1 \(domU1\): 64 MiB RAM", timeout=60, since=0)
            con.expect(r"\(d1\) TEST worker PASS", timeout=120, since=0)
            con.expect(qemu.LINUX_UP_RE, timeout=300, since=0)
    text = con.res.output
    assert "Kernel panic" not in text, con.res.describe()

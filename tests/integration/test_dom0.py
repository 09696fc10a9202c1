"""Debian's unmodified arm64 kernel as dom0 (issue 4): built from /chosen's own
boot modules, RAM direct-mapped, device tree derived from the host's, console on
hvc0 through console_io."""

import pytest

import qemu

DOM0_BOOTARGS = "console=hvc0 earlycon=xen"


def dom0_command(machine: qemu.Machine, dom0_mem: str = "512M") -> list[str]:
    kernel = qemu._need(qemu.LINUX_IMAGE, "run " + qemu.FETCH_HINT)
    initrd = qemu._need(qemu.INITRAMFS, "run " + qemu.FETCH_HINT)
    cloison = qemu._need(qemu.CLOISON_BIN, "run `make`")
    # QEMU's guest-loader writes /chosen/module@... nodes exactly as Xen's
    # booting.txt describes; -append becomes /chosen/bootargs, which is the
    # hypervisor's command line because the kernel module has its own.
    return [qemu.QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
            "-serial", "stdio", "-monitor", "none", "-kernel", str(cloison),
            "-append", f"console=dtuart dom0_mem={dom0_mem}",
            "-device", f"guest-loader,addr=0x50000000,kernel={kernel},bootargs={DOM0_BOOTARGS}",
            "-device", f"guest-loader,addr=0x52000000,initrd={initrd}"]


@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_dom0_boots_to_userspace(cloison, gic):
    machine = qemu.Machine(gic=gic, smp=2, mem_mib=2048)
    with qemu.Console([], machine=machine, cmd=dom0_command(machine)) as con:
        con.expect(r"d0 \(Domain-0\): 512 MiB RAM, 2 vCPUs", timeout=60)
        con.expect(r"Xen 4\.17 support found", timeout=120)
        con.expect(r"xen:events: Using 2-level ABI", timeout=120)
        up = con.expect(qemu.LINUX_UP_RE, timeout=300)
        assert up.group(1) == "2", up.group(0)
    text = con.res.output
    assert "Kernel panic" not in text and "kernel BUG" not in text, con.res.describe()
    # The memory Linux found is dom0's direct-mapped RAM, all of it.
    assert "Machine model: linux,dummy-virt" in text  # the host's tree, not a XENVM one

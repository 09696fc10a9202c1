"""Debian's unmodified arm64 kernel as dom0 (issue 4): built from /chosen's own
boot modules, RAM direct-mapped, device tree derived from the host's, console on
hvc0 through console_io."""

import pytest

import qemu

DOM0_BOOTARGS = "console=hvc0 earlycon=xen"


def dom0_command(machine: qemu.Machine, dom0_mem: str = "512M",
                 extra_bootargs: str = "", hv: str = "cloison",
                 hv_bootargs: str = "") -> list[str]:
    """hv: "cloison" or "xen" (Xen 4.17 boots dom0 from the same modules);
    hv_bootargs is appended to the hypervisor's command line (dom0_max_vcpus=N)."""
    kernel = qemu._need(qemu.LINUX_IMAGE, "run " + qemu.FETCH_HINT)
    initrd = qemu._need(qemu.INITRAMFS, "run " + qemu.FETCH_HINT)
    binary = qemu._need(qemu.hv_binary(hv),
                        "run scripts/fetch-xen.sh" if hv == "xen" else "run `make`")
    console = "console=dtuart dtuart=/pl011@9000000" if hv == "xen" else "console=dtuart"
    # QEMU's guest-loader writes /chosen/module@... nodes exactly as Xen's
    # booting.txt describes; -append becomes /chosen/bootargs, which is the
    # hypervisor's command line because the kernel module has its own.
    return [qemu.QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
            "-serial", "stdio", "-monitor", "none", "-kernel", str(binary),
            "-append", f"{console} dom0_mem={dom0_mem}{' ' + hv_bootargs if hv_bootargs else ''}",
            "-device", f"guest-loader,addr=0x50000000,kernel={kernel},"
                       f"bootargs={DOM0_BOOTARGS}{extra_bootargs}",
            "-device", f"guest-loader,addr=0x52000000,initrd={initrd}"]


# Issue 4's acceptance: a busybox shell with 1 and 4 vCPUs, GICv3 and GICv2. The
# board has 4 pCPUs; dom0_max_vcpus= (Xen's option) caps dom0 below one per pCPU.
@pytest.mark.parametrize("vcpus", [1, 4], ids=["1vcpu", "4vcpu"])
@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_dom0_boots_to_userspace(cloison, gic, vcpus):
    machine = qemu.Machine(gic=gic, smp=4, mem_mib=2048)
    cmd = dom0_command(machine, hv_bootargs=f"dom0_max_vcpus={vcpus}")
    plural = "" if vcpus == 1 else "s"
    with qemu.Console([], machine=machine, cmd=cmd) as con:
        con.expect(rf"d0 \(Domain-0\): 512 MiB RAM, {vcpus} vCPU{plural}\b", timeout=60)
        con.expect(r"Xen 4\.17 support found", timeout=120)
        con.expect(r"xen:events: Using FIFO-based ABI", timeout=120)
        up = con.expect(qemu.LINUX_UP_RE, timeout=300)
        assert up.group(1) == str(vcpus), up.group(0)
    text = con.res.output
    assert "Kernel panic" not in text and "kernel BUG" not in text, con.res.describe()
    # The memory Linux found is dom0's direct-mapped RAM, all of it.
    assert "Machine model: linux,dummy-virt" in text  # the host's tree, not a XENVM one


def test_dom0_console_input(cloison):
    """Typing into dom0's hvc0 as on Xen: dom0 has the input from boot,
    CONSOLEIO_read hands it the bytes and VIRQ_CONSOLE wakes it; its output is
    not tagged "(d0) " (Xen prints the control domain's console raw)."""
    machine = qemu.Machine(gic=3, smp=2, mem_mib=2048)
    with qemu.Console([], machine=machine, cmd=dom0_command(machine)) as con:
        con.expect(qemu.LINUX_UP_RE, timeout=300)
        assert con.focus_now() == 0, "dom0 should have the console input at boot"
        con.wait_shell(120)
        con.ask("cat /sys/hypervisor/type", r"\nxen\r*\n")
        con.ask("echo V-$(cat /sys/hypervisor/version/major)-"
                "$(cat /sys/hypervisor/version/minor)-END", r"V-4-17-END")
        # Xen detected (the version above) and nothing Xen-related went wrong.
        errs = con.ask("echo XENERRS=$(dmesg | grep -iE 'xen|grant|evtchn|hvc' | "
                       "grep -ciE 'error|fail|warn|unable|cannot|bug')-END",
                       r"XENERRS=(\d+)-END\r*\n")
        if errs.group(1) != "0":
            con.ask("dmesg | grep -iE 'xen|grant|evtchn|hvc'; echo DM-DONE", r"\nDM-DONE\r*\n")
        assert errs.group(1) == "0", "Xen errors in dom0's dmesg\n" + con.res.describe()
        m = con.ask("echo ANS-$((6*7))-END", r"\n(.*)ANS-42-END")
        assert "(d0)" not in m.group(1), m.group(0)
        # Ctrl-a x3 moves the input to Cloison, which then takes debug keys...
        con.focus(None)
        con.ask("q", r"\(cloison\) \d+ domains?; those with console input")
        # ...and back to dom0 (Cloison -> d0), whose shell still answers.
        con.focus(0)
        con.ask("echo BACK-$((40+2))-END", r"BACK-42-END")
    text = con.res.output
    assert "(d0) " not in text, "dom0's console output is tagged"


def test_dom0_loads_xen_drivers(cloison):
    """The toolstack's kernel side: xen-privcmd, xen-evtchn, xen-gntdev and xenfs
    from the same kernel package load in dom0, and xenfs says it is the control
    domain (XENFEAT_dom0)."""
    machine = qemu.Machine(gic=3, smp=2, mem_mib=2048)
    cmd = dom0_command(machine, extra_bootargs=" cloison.xenmods")
    with qemu.Console([], machine=machine, cmd=cmd) as con:
        con.expect(qemu.LINUX_UP_RE, timeout=300)
        for m in ("xen-privcmd", "xen-evtchn", "xen-gntdev", "xenfs"):
            # Whole lines only: the console may deliver a line in pieces.
            line = con.expect(rf"XENMOD {m} (\S+)[^\n]*\n", timeout=60)
            assert line.group(1) == "ok", line.group(0)
        caps = con.expect(r"XENFS capabilities=(\S*)\r*\n", timeout=60)
        assert caps.group(1) == "control_d", caps.group(0)
        devs = con.expect(r"XENDEV ([^\r\n]*)\r*\n", timeout=60).group(1).split()
    for dev in ("evtchn", "privcmd", "gntdev"):
        assert dev in devs, f"/dev/xen/{dev} missing: {devs}\n" + con.res.describe()

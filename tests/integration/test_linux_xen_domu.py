"""Debian's unmodified kernel as a Xen domU (issue 4): `xen,enhanced`, no vPL011,
console on hvc0 through the PV console ring that Cloison serves itself (no dom0)."""

import re

import pytest

import qemu
from test_linux import CMD_TIMEOUT, BOOT_TIMEOUT, up_re  # noqa: F401 (fixtures below)
from test_linux import cloison_hv, linux  # noqa: F401


def xen_linux(name, cpus, **kw):
    return qemu.LinuxDomain(cpus=cpus, vpl011=False, enhanced="no-xenstore",
                            bootargs=f"console=hvc0 cloison_name={name}", **kw)


@pytest.mark.parametrize("cpus", [1, 2])
def test_xen_domu_on_hvc0(cloison_hv, cpus):  # noqa: F811
    with qemu.Console([xen_linux("xd", cpus)], "cloison",
                      qemu.Machine(gic=3, smp=2)) as con:
        con.expect(r"Xen 4\.17 support found", BOOT_TIMEOUT)
        con.expect(r"xen:events: Using FIFO-based ABI", BOOT_TIMEOUT)
        m = con.expect(up_re("xd"), BOOT_TIMEOUT)
        assert int(m.group(1)) == cpus, con.describe()
        con.focus(1)
        con.wait_shell(CMD_TIMEOUT, tag="-xd")
        con.ask("echo HV-$(cat /sys/hypervisor/type)-END", r"HV-xen-END", CMD_TIMEOUT)
        con.ask("echo ANS-$((6*7))-END", r"ANS-42-END", CMD_TIMEOUT)
        con.line("poweroff -f")
        con.expect(r"d1 \(domU1\): shut down: poweroff", CMD_TIMEOUT)
        assert con.wait_exit(CMD_TIMEOUT), "Cloison should power off after the last domain"
    assert "Kernel panic" not in con.res.output, con.res.describe()


def test_xen_domu_reboot_restarts_on_hvc0(cloison_hv):  # noqa: F811
    """on_reboot = "restart" for a Xen domU: `reboot` goes through SCHEDOP_shutdown
    (Linux's Xen restart handler), and the rebuilt domain gets a fresh Xen interface:
    its PV console works again and input reaches the new shell."""
    dom = xen_linux("xr", 1, on_reboot="restart")
    with qemu.Console([dom], "cloison", qemu.Machine(gic=3, smp=2)) as con:
        con.expect(up_re("xr"), BOOT_TIMEOUT)
        con.focus(1)
        con.wait_shell(CMD_TIMEOUT, tag="-xr")
        con.line("reboot -f")
        con.expect(r"d1 \(domU1\): shut down: reboot; restarting it", CMD_TIMEOUT)
        built = con.expect(r"d(\d+) \(domU1\): \d+ MiB RAM, 1 vCPU, .*Xen interface",
                           CMD_TIMEOUT)
        con.expect(up_re("xr"), BOOT_TIMEOUT)
        # The input focus left the dead domain; give it to the new one.
        con.focus(int(built.group(1)))
        con.wait_shell(CMD_TIMEOUT, tag="-xr")
        con.ask("echo AGAIN-$((6*7))-END", r"AGAIN-42-END", CMD_TIMEOUT)
    text = con.res.output
    assert len(re.findall(up_re("xr"), text)) == 2, con.res.describe()
    assert "Kernel panic" not in text, con.res.describe()

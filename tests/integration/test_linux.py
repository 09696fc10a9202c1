"""Debian's unmodified cloud-arm64 kernel as a dom0less domU, driven through the console.

The kernel comes from scripts/fetch-guests.sh, the busybox initramfs from
scripts/mkinitramfs.py; without them every test here fails (never skips) with the
command to run. /init prints `CLOISON-LINUX-UP nproc=N ... name=<cloison_name>` and then
keeps a shell on the console. Commands are typed after switching console input to the
domain (Ctrl-a three times, as in Xen) and are written so that only the command's
output, never the echo of the typed line, matches what the test waits for
(`echo ANS-$((6*7))-END` -> `ANS-42-END`).

Cases marked `xen` run the same scenario under Xen 4.17, which shows the scenario
itself (guest, console switching, commands) is sound.
"""

import re
import time

import pytest

import qemu

# Generous: a 4-vCPU Linux on a two-core CI host under TCG. Each wait stops as soon
# as its line appears, so a healthy run takes a fraction of this.
BOOT_TIMEOUT = 300
CMD_TIMEOUT = 60
GICS = [pytest.param(3, id="gicv3"), pytest.param(2, id="gicv2")]


@pytest.fixture(scope="session")
def linux():
    missing = [p for p in (qemu.LINUX_IMAGE, qemu.INITRAMFS) if not p.is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(map(str, missing))}: run {qemu.FETCH_HINT}")


@pytest.fixture(params=["cloison", pytest.param("xen", marks=pytest.mark.xen)])
def hv(request, linux):
    request.getfixturevalue(request.param)   # fails when that hypervisor is missing
    return request.param


@pytest.fixture
def cloison_hv(cloison, linux):
    return "cloison"


def linux_dom(name, cpus=1, **kw):
    return qemu.LinuxDomain(cpus=cpus, bootargs=f"{qemu.LINUX_BOOTARGS} cloison_name={name}",
                            **kw)


def up_re(name):
    return rf"CLOISON-LINUX-UP nproc=(\d+) cpus=\S+ name={name}\b"


def line_domid(con, m):
    """The domain id in the hypervisor prefix of the line holding match m, or None."""
    out = con.res.output
    start = out.rfind("\n", 0, m.start()) + 1
    d = qemu.DOMID_RE.search(out[start:m.start()])
    return int(d.group(1) or d.group(2)) if d else None


def assert_from(con, m, domid):
    # Cloison prefixes every domain's lines; Xen leaves the prefix off the lines of
    # the domain that has console input.
    got = line_domid(con, m)
    ok = got == domid if con.res.hv == "cloison" else got in (domid, None)
    assert ok, f"{m.group(0)!r} came from d{got}, expected d{domid}\n" + con.describe()


def shell(con, domid, name):
    """Console input to domid, and its shell answers with its own name."""
    con.focus(domid)
    con.wait_shell(CMD_TIMEOUT, tag=f"-{name}")
    m = con.ask(f"echo ANS-$cloison_name-$((6*7))-END", rf"ANS-{name}-42-END", CMD_TIMEOUT)
    assert_from(con, m, domid)


def shutdown_line(domid, reason):
    return rf"d{domid} \(domU{domid}\): shut down: {reason}"


def report(request, con, **kv):
    for k, v in kv.items():
        request.node.user_properties.append((k, v))
    print(f"\n{request.node.name}: " + " ".join(f"{k}={v}" for k, v in kv.items()))


@pytest.mark.parametrize("cpus", [1, 2, 4])
@pytest.mark.parametrize("gic", GICS)
def test_boot_smp_timers_console(request, cloison_hv, gic, cpus):
    """Boot to the shell; nproc and every vCPU's arch_timer count; a command's answer."""
    machine = qemu.Machine(gic=gic, smp=max(cpus, 2))
    with qemu.Console([linux_dom("solo", cpus)], "cloison", machine) as con:
        m = con.expect(up_re("solo"), BOOT_TIMEOUT)
        boot_s = time.monotonic() - con.start
        assert int(m.group(1)) == cpus, f"nproc={m.group(1)}, want {cpus}\n" + con.describe()
        shell(con, 1, "solo")
        m = con.ask("echo NPROC-$(nproc)-END", r"NPROC-(\d+)-END", CMD_TIMEOUT)
        assert int(m.group(1)) == cpus, con.describe()
        m = con.ask("irqcount", r"IRQCOUNT ncpu=(\d+) arch_timer=([\d,]+|none)\r*\n",
                    CMD_TIMEOUT)
        counts = [int(c) for c in m.group(2).split(",")] if m.group(2) != "none" else []
        assert int(m.group(1)) == cpus and len(counts) == cpus, \
            f"/proc/interrupts: {m.group(0)!r}, want {cpus} CPUs\n" + con.describe()
        assert all(c > 0 for c in counts), \
            f"a vCPU took no arch_timer interrupt: {counts}\n" + con.describe()
    report(request, con, boot_s=f"{boot_s:.1f}", total_s=f"{con.res.duration:.1f}",
           timer_irqs=",".join(map(str, counts)))


def test_boot_and_command_under_hv(request, hv):
    """The same scenario on GICv3 with 2 vCPUs, under both hypervisors."""
    with qemu.Console([linux_dom("solo", 2)], hv, qemu.Machine(gic=3, smp=2)) as con:
        m = con.expect(up_re("solo"), BOOT_TIMEOUT)
        boot_s = time.monotonic() - con.start
        assert m.group(1) == "2", con.describe()
        shell(con, 1, "solo")
        m = con.ask("irqcount", r"IRQCOUNT ncpu=2 arch_timer=(\d+),(\d+)\r*\n", CMD_TIMEOUT)
        assert int(m.group(1)) > 0 and int(m.group(2)) > 0, con.describe()
    report(request, con, boot_s=f"{boot_s:.1f}", total_s=f"{con.res.duration:.1f}")


def test_poweroff_ends_only_that_domain(request, cloison_hv):
    """poweroff in d1 ends d1 only; d2 still answers; poweroff in d2 ends the machine."""
    doms = [linux_dom("alpha"), linux_dom("beta")]
    with qemu.Console(doms, "cloison", qemu.Machine(gic=3, smp=2)) as con:
        con.expect(up_re("alpha"), BOOT_TIMEOUT, since=0)
        con.expect(up_re("beta"), BOOT_TIMEOUT, since=0)
        shell(con, 1, "alpha")
        con.line("poweroff -f")
        con.expect(shutdown_line(1, "poweroff"), CMD_TIMEOUT)
        # Input focus leaves a dead domain by itself: let that happen before
        # switching, or our Ctrl-a x3 races the automatic move.
        con.expect(r"d1: destroyed", CMD_TIMEOUT)
        shell(con, 2, "beta")
        assert not con.eof, "QEMU ended with a domain still running\n" + con.describe()
        con.line("poweroff -f")
        con.expect(shutdown_line(2, "poweroff"), CMD_TIMEOUT)
        exited = con.wait_exit(CMD_TIMEOUT)
    assert exited and con.res.returncode == 0, \
        "QEMU did not power off after the last domain\n" + con.res.describe()
    report(request, con, total_s=f"{con.res.duration:.1f}")


def test_reboot_restarts_domain(request, cloison_hv):
    """on_reboot = "restart": reboot in the guest boots the same domain again."""
    dom = linux_dom("phoenix", 1, on_reboot="restart")
    with qemu.Console([dom], "cloison", qemu.Machine(gic=3, smp=2)) as con:
        con.expect(up_re("phoenix"), BOOT_TIMEOUT)
        shell(con, 1, "phoenix")
        con.line("reboot -f")
        con.expect(shutdown_line(1, "reboot"), CMD_TIMEOUT)
        again = con.expect(up_re("phoenix"), BOOT_TIMEOUT)
        # A restart may keep the id or take a new one: follow the prefix.
        domid = line_domid(con, again)
        assert domid is not None, con.describe()
        shell(con, domid, "phoenix")
    ups = re.findall(up_re("phoenix"), con.res.output)
    assert len(ups) == 2, f"{len(ups)} boots\n" + con.res.describe()
    report(request, con, total_s=f"{con.res.duration:.1f}", second_domid=domid)


@pytest.mark.guest_panics
def test_panic_in_one_leaves_others(request, hv):
    """Two Linux domUs and a test guest on a 4-CPU host; a kernel panic in one
    leaves the other Linux answering and the test guest passing."""
    doms = [linux_dom("alpha", 2), linux_dom("beta", 1), qemu.Domain("worker")]
    with qemu.Console(doms, hv, qemu.Machine(gic=3, smp=4)) as con:
        for domid, name in ((1, "alpha"), (2, "beta")):
            m = con.expect(up_re(name), BOOT_TIMEOUT, since=0)
            assert_from(con, m, domid)
        shell(con, 1, "alpha")
        shell(con, 2, "beta")
        con.focus(1)
        con.line("echo c > /proc/sysrq-trigger")
        m = con.expect(r"Kernel panic - not syncing", CMD_TIMEOUT)
        assert_from(con, m, 1)
        con.wait_exit(2.0)   # let the panic run its course before asking the survivor
        shell(con, 2, "beta")
        m = con.ask("echo UPTIME-$(cut -d. -f1 /proc/uptime)-END", r"UPTIME-(\d+)-END",
                    CMD_TIMEOUT)
        assert_from(con, m, 2)
        con.expect(r"TEST worker (PASS|FAIL)", CMD_TIMEOUT, since=0)
    worker = [v for v in con.res.final() if v.case == "worker"]
    assert worker and worker[0].status == "PASS" and worker[0].domid in (3, None), \
        con.res.describe()
    report(request, con, total_s=f"{con.res.duration:.1f}")

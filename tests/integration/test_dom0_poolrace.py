"""Hostile pool and scheduler control from a multi-vCPU dom0 (issue 12):
tests/dom0/xen_poolrace.c (/bin/xen-poolrace) races SYSCTL cpupool_op (every
sub-op, pool ids, schedulers, pCPUs and cpumap handles valid and not) and
SYSCTL scheduler_op (arinc653 schedules valid, random and unmapped; credit2's
rate limit) from each of dom0's 4 vCPUs at once for 20 s, moving only the
victim domU (an idle domain of 2 vCPUs) between the pools it makes. A ticker
domU in Pool-0, never named, must keep ticking throughout; the hypervisor
must not panic or hang, dom0 must get its answers, and the tool gives the
machine back (one pool, Pool-0) at the end.

Cloison only: Debian's Xen has no null scheduler and its arinc653 refuses
most of this in other ways; the point is that nothing here stops Cloison.
"""

import re
import tempfile
from pathlib import Path

import qemu
from test_dom0_foreign import BOOT_TIMEOUT, STEP_TIMEOUT, command

SMP = 4
RACE_S = 20
VICTIM = 1  # the idle domU; the ticker is domain 2


def ticks(con, since: int) -> list:
    return [int(m.group(1)) for m in
            re.finditer(r"\(d2\) TEST ticker RUN ticks=(\d+)", con.res.output[since:])]


def test_dom0_poolrace(cloison):
    machine = qemu.Machine(gic=3, smp=SMP, mem_mib=2048)
    domus = [qemu.Domain("idle", cpus=2), qemu.Domain("ticker", bootargs="until=100000")]
    with tempfile.TemporaryDirectory(prefix="cloison-it-") as tmp:
        cmd = command(machine, domus, Path(tmp), "cloison")
        with qemu.Console([], machine=machine, cmd=cmd) as con:
            con.expect(qemu.LINUX_UP_RE, timeout=BOOT_TIMEOUT, since=0)
            mod = con.expect(r"XENMOD xen-privcmd (\S+)[^\n]*\n", timeout=60, since=0)
            assert mod.group(1) == "ok", mod.group(0)
            con.wait_shell(120)
            # Its first tick may come after dom0's shell (a loaded host).
            con.expect(r"\(d2\) TEST ticker RUN ticks=\d+", STEP_TIMEOUT, since=0)
            before = ticks(con, 0)
            mark = len(con.res.output)
            con.line(f"xen-poolrace {RACE_S} {VICTIM}")
            done = con.expect(r"XR done calls=(\d+) ok=(\d+) errors=(\d+) threads=(\d+)\r*\n",
                              RACE_S + 4 * STEP_TIMEOUT, since=mark)
            calls, ok, errors, threads = (int(x) for x in done.groups())
            where = "\n" + con.describe()
            print(done.group(0).strip())
            assert threads == SMP, done.group(0) + where
            assert calls > 100 and ok > 0 and errors > 0, done.group(0) + where
            pools = con.expect(r"XR pools ids=([\d,]*)\r*\n", STEP_TIMEOUT, since=mark)
            assert pools.group(1) == "0", pools.group(0) + where
            # The bystander ticked during the race and ticks on after it.
            during = ticks(con, mark)
            assert during and during[-1] > before[-1], (before, during, where)
            after = len(con.res.output)
            con.expect(r"\(d2\) TEST ticker RUN ticks=\d+", 3 * STEP_TIMEOUT, since=after)
            out = con.res.output
            assert "PANIC on pCPU" not in out and "System halted" not in out, where
            # dom0 answers, and the victim is back in Pool-0 and alive.
            con.line("xen-ctl")
            got = con.expect(r"XC dom id=1 [^\r\n]*cpupool=(\d+)", STEP_TIMEOUT, since=after)
            assert got.group(1) == "0", got.group(0) + where
            con.expect(r"XC done\r*\n", STEP_TIMEOUT, since=after)

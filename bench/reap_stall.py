"""How long restarting a crashed Linux domU holds a pCPU in EL2.

A 2-vCPU Debian Linux domU ("infotainment") panics PANIC_AFTER_S seconds after its
userspace is up and is restarted by the hypervisor (on_crash/on_reboot = restart),
RESTARTS times, beside the speedometer guest (10 ms deadlines). Under
-icount shift=0 the counter advances 1 ns per instruction, so the figures are
instructions and do not depend on the host's load. Printed:
  - Cloison's longest EL2 stretch of class "reap" (the 's' debug key,
    core/stretch.c) and where it ran (pCPU), and the worst of any other class;
  - the speedometer's worst lateness of any second after its first (in us of
    the virtual counter, i.e. thousands of instructions), and its missed deadlines.

  python3 bench/reap_stall.py [--pools] [--restarts N]
--pools: the speedometer in a null pool of its own (pCPU 1), Linux in Pool-0
(pCPU 0), on -smp 2; without it both share one pCPU (-smp 1). With --pools QEMU
runs without -icount (with it, -smp 2 stops at the second pCPU's bring-up here),
so its figures are host nanoseconds ("insns" read "ns"), on a shared host.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402
import schedmeasure as sm  # noqa: E402

PANIC_AFTER_S = 3
STRETCH_RE = re.compile(r"el2-stretch class class=(\S+) max_ns=\d+ max_ticks=(\d+) "
                        r"count=(\d+) cpu=(\d+) dom=(\S+)")
FREQ_RE = re.compile(r"timer (\d+) Hz")
UP = r"CLOISON-LINUX-UP nproc=\d+ cpus=\S+ name=infotainment"


def domains():
    speedo = qemu.Domain("speedometer", bootargs="period_ms=10 margin_us=2000")
    boot = (f"{qemu.LINUX_BOOTARGS} cloison_name=infotainment "
            f"cloison.panic_after={PANIC_AFTER_S} panic=1")
    return [speedo, qemu.LinuxDomain(cpus=2, bootargs=boot, on_reboot="restart",
                                     on_crash="restart")]


def run(pools: bool, restarts: int):
    machine = qemu.Machine(gic=3, smp=2 if pools else 1, icount_shift=None if pools else 0)
    edit = None
    if pools:
        edit = sm.pools_edit([sm.Pool("pool0", [0], "credit2"), sm.Pool("rt", [1], "null")],
                             {0: "rt", 1: "pool0"})
    boot = qemu.CLOISON_BOOTARGS + " conswitch=ax"
    out = {}
    with qemu.Console(domains(), "cloison", machine, bootargs=boot, dts_edit=edit) as con:
        con.expect(r"TEST speedometer RUN sec=1 ", timeout=300, since=0)
        for _ in range(restarts + 1):
            con.expect(UP, timeout=1200)
            con.expect(r"CLOISON-LINUX-CRASHING", timeout=300)
        con.expect(r"destroyed, \d+ KiB free", timeout=300)
        con.expect(r"TEST speedometer RUN sec=\d+ [^\n]*\n", timeout=300)
        con.expect(r"TEST speedometer RUN sec=\d+ [^\n]*\n", timeout=300)
        mark = len(con.res.output)
        con.write(b"s")
        con.expect(r"el2-stretch end classes=\d+", timeout=300, since=mark)
        freq = int(FREQ_RE.search(con.res.output).group(1))
        for m in STRETCH_RE.finditer(con.res.output, mark):
            insns = int(m.group(2)) * 10**9 // freq
            out[m.group(1)] = (insns, int(m.group(3)), int(m.group(4)), m.group(5))
    res = con.res
    lines = [v for v in res.verdicts if v.case == "speedometer" and v.status == "RUN"
             and "sec" in v.kv][1:]
    worst = max(lines, key=lambda v: int(v.kv["worst_late_us"]))
    missed = sum(int(v.kv["missed"]) for v in lines)
    crashes = len(re.findall("CLOISON-LINUX-CRASHING", res.output))
    reap = out.get("reap")
    others = {c: s for c, s in out.items() if c != "reap"}
    wc = max(others, key=lambda c: others[c][0]) if others else None
    print(f"mode={'pools (host ns)' if pools else 'shared (-icount: insns)'} "
          f"crashes={crashes} seconds={len(lines)}")
    for m in re.finditer(r"d\d+: restart done[^\n]*", res.output):
        print(m.group(0))
    if reap:
        print(f"reap: longest EL2 stretch {reap[0]} insns ({reap[1]} reaps/steps) "
              f"on pCPU {reap[2]}")
    if wc:
        print(f"other classes: worst {wc} {others[wc][0]} insns")
    print(f"speedometer: worst_late_us={worst.kv['worst_late_us']} (sec {worst.kv['sec']}) "
          f"missed={missed}")
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pools", action="store_true")
    ap.add_argument("--restarts", type=int, default=2)
    a = ap.parse_args()
    run(a.pools, a.restarts)


if __name__ == "__main__":
    main()

"""The cost of a switch between two domains sharing one pCPU, from SCHEDOP_yield round
trips: the 64-bit `yield` guest (tests/guests/cases/yield.c) or its AArch32 twins
`a32_yield`/`t32_yield` (tests/guests/aarch32/cases/yield.c). Used by bench/sched.py
and bench/aarch32.py.

Two on one pCPU hand it to each other at every yield (Xen 4.17's credit2, and
Cloison's since it follows it there), so one yield as either guest times it is two
yields that switch, the other guest's included; one guest alone yields to nobody (the
hypercall and the scheduler's decision, no switch). So

    per switch = pair / 2 - alone

the switch's own part (save, the decision that picks another vCPU, restore), the
yield hypercall and the guest's loop excluded.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402

ICOUNT_SHIFT = 0


def per_yield(hv, case, n_doms, icount, bootargs=""):
    """CNTVCT ticks per yield of N_DOMS domains running CASE on one pCPU (the first
    verdict: it yielded with all of them running), and CNTFRQ; raise if it failed.
    icount: under -icount shift=ICOUNT_SHIFT,sleep=off (deterministic)."""
    machine = qemu.Machine(gic=3, smp=1, icount_shift=ICOUNT_SHIFT if icount else None,
                           icount_sleep=False)
    doms = [qemu.Domain(case, bootargs=bootargs) for _ in range(n_doms)]
    res = qemu.run(doms, hv, machine, timeout=300, until=qemu.verdicts_for([case]),
                   linger=0.3)
    v = next((v for v in res.final() if v.case == case), None)
    if v is None or v.status != "PASS":
        raise RuntimeError(f"{case} x{n_doms} under {hv}: {v.line if v else 'no verdict'}")
    return int(v.kv["per_yield_milli"]) / 1000, int(v.kv["cntfrq"])


def insns(ticks, cntfrq):
    """Instructions in TICKS of a counter at CNTFRQ under -icount shift=ICOUNT_SHIFT
    (each instruction 2^shift ns)."""
    return ticks * (1e9 / cntfrq) / (1 << ICOUNT_SHIFT)


def switch_cost(hv, case, icount=True, bootargs=""):
    """(alone, pair) per yield: instructions under -icount, else CNTVCT ticks."""
    out = []
    for n in (1, 2):
        ticks, freq = per_yield(hv, case, n, icount, bootargs)
        out.append(insns(ticks, freq) if icount else ticks)
    return tuple(out)


def per_switch(alone, pair):
    """One switch from the per-yield figures alone and paired (see above)."""
    return pair / 2 - alone

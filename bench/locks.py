#!/usr/bin/python3
"""Per-domain locks: EVTCHNOP_send and GNTTABOP_copy alone and beside a second domain.

Runs the lockbench guest (tests/guests/cases/lockbench.c) on a 2-pCPU QEMU virt
host, first one domain alone, then two at once (one vCPU each, on one pCPU
each), and prints the cost per operation and pair / alone.

Under `-icount shift=0` (the default) the figures are instructions and exact,
but QEMU runs the pCPUs in one thread, round-robin: a pCPU waiting for a lock
held by the other gives way at its first WFE, so sharing a lock costs almost
nothing there and pair / alone reads 1.01 with one global lock as with
per-domain ones. What -icount measures is the path's own cost. `--ticks` runs
QEMU with a host thread per pCPU and reads CNTVCT: there a lock shared by the
two domains shows when the host deschedules the thread holding it (a tail of
slow runs), but the figures move with the host's load; take medians of
several runs.

Run: /usr/bin/python3 bench/locks.py (the build of this checkout, or BUILD=dir).
For reading, not asserting.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402

OPS = ["send", "copy"]
ICOUNT_SHIFT = 0


def run(n_doms, icount):
    machine = qemu.Machine(gic=3, smp=2, icount_shift=ICOUNT_SHIFT if icount else None)
    doms = [qemu.Domain("lockbench", enhanced="no-xenstore") for _ in range(n_doms)]
    res = qemu.run(doms, "cloison", machine, timeout=600, linger=0.3,
                   until=qemu.verdicts_for(["lockbench"] * n_doms))
    vs = [v for v in res.final() if v.case == "lockbench"]
    if len(vs) != n_doms or any(v.status != "PASS" for v in vs):
        raise RuntimeError(f"lockbench x{n_doms}: {[v.line for v in vs]}")
    out = {}
    for op in OPS:
        ticks = [int(v.kv[f"{op}_milli"]) / 1000.0 for v in vs]
        scale = (1e9 / int(vs[0].kv["cntfrq"])) / (1 << ICOUNT_SHIFT) if icount else 1.0
        out[op] = sum(ticks) / len(ticks) * scale
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ticks", action="store_true",
                    help="free-running QEMU (one host thread per pCPU): CNTVCT ticks per op")
    args = ap.parse_args()
    alone, pair = run(1, not args.ticks), run(2, not args.ticks)
    unit = "CNTVCT ticks" if args.ticks else "instructions"
    print(f"{'op':6} {'alone':>10} {'pair':>10} {'pair/alone':>10}   ({unit} per op)")
    for op in OPS:
        print(f"{op:6} {alone[op]:10.1f} {pair[op]:10.1f} {pair[op] / alone[op]:10.2f}")


if __name__ == "__main__":
    main()

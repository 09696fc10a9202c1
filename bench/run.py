#!/usr/bin/python3
"""Cloison benchmarks, printed side by side with Xen 4.17 (Debian) in the same run.

  (a) boot time: wall clock from QEMU start to the first guest verdict line
      (the hello guest), median of 3 boots;
  (b) null hypercall round trip, from the hcall_null guest (100000 calls of
      xen_version(XENVER_version)): CNTVCT ticks per call on a free-running QEMU,
      and instructions per call under `-icount shift=0`;
  (c) Linux boot: wall clock from QEMU start to the initramfs' shell marker line
      (CLOISON-LINUX-UP, tests/integration/test_linux.py) for Debian's cloud-arm64
      kernel as a 1-vCPU dom0less domU, and for the same kernel and initramfs booted
      natively by the same QEMU (-M virt without EL2, same CPU count and RAM); median of
      N boots each, with the ratios Cloison/native (target <= 1.3) and Cloison/Xen.

Run: /usr/bin/python3 bench/run.py [--runs N]. Needs `make` (build/cloison, guests),
scripts/fetch-xen.sh, scripts/fetch-guests.sh and scripts/mkinitramfs.py; a hypervisor
that is missing or fails shows as n/a.
Not part of `make check`: the figures are for reading, not for asserting.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402

HVS = ["cloison", "xen"]
ICOUNT_SHIFT = 0


def boot_time(hv, runs):
    times = []
    for _ in range(runs):
        res = qemu.run_cases(["hello"], hv, qemu.Machine(gic=3, smp=4), timeout=60)
        first = next((v for v in res.verdicts if v.status in ("PASS", "FAIL")), None)
        if first is None:
            raise RuntimeError(f"no verdict from hello under {hv}")
        times.append(first.t)
    return statistics.median(times)


LINUX_MACHINE = qemu.Machine(gic=3, smp=1)


def linux_boot(hv, runs):
    """Seconds from QEMU start to the shell marker; hv "native" boots without EL2."""
    dom = qemu.LinuxDomain(cpus=1)
    times = []
    for _ in range(runs):
        if hv == "native":
            con = qemu.Console([], cmd=qemu.native_command(LINUX_MACHINE, dom))
        else:
            con = qemu.Console([dom], hv, LINUX_MACHINE)
        with con:
            try:
                con.expect(qemu.LINUX_UP_RE, timeout=300)
            except qemu.Expired as e:
                raise RuntimeError(f"no shell marker under {hv}: {str(e).splitlines()[0]}")
            times.append(time.monotonic() - con.start)
    return statistics.median(times)


def hcall(hv, icount):
    # One pCPU: under -icount the virtual clock counts the instructions of every
    # vCPU QEMU runs, so other pCPUs (idle loops, timers) must not add to it.
    machine = qemu.Machine(gic=3, smp=1, icount_shift=ICOUNT_SHIFT if icount else None)
    res = qemu.run_cases(["hcall_null"], hv, machine, timeout=300)
    v = next((v for v in res.final() if v.case == "hcall_null"), None)
    if v is None or v.status != "PASS":
        raise RuntimeError(f"hcall_null under {hv}: {v.line if v else 'no verdict'}")
    ticks_per_call = int(v.kv["per_call_milli"]) / 1000.0
    cntfrq = int(v.kv["cntfrq"])
    return ticks_per_call, cntfrq


def insns_per_call(ticks_per_call, cntfrq):
    # With -icount shift=N QEMU's virtual clock advances 2^N ns per executed
    # instruction, and the guest's CNTVCT runs off that clock at CNTFRQ Hz.
    # So one counter tick = (1e9 / CNTFRQ) ns = (1e9 / CNTFRQ) / 2^N instructions
    # (16 with QEMU virt's 62.5 MHz counter and N = 0). The figure includes the
    # guest's loop and compare (a handful of instructions) around each HVC.
    return ticks_per_call * (1e9 / cntfrq) / (1 << ICOUNT_SHIFT)


def measure(hv, runs):
    out = {}
    steps = [("boot_s", lambda: boot_time(hv, runs)),
             ("ticks", lambda: hcall(hv, icount=False)[0]),
             ("insns", lambda: insns_per_call(*hcall(hv, icount=True))),
             ("linux_s", lambda: linux_boot(hv, runs))]
    if hv == "native":
        steps = steps[-1:]
    for key, fn in steps:
        try:
            out[key] = fn()
        except (RuntimeError, FileNotFoundError, KeyError, ValueError, OSError) as e:
            out[key] = None
            print(f"[{hv}] {key}: {e}", file=sys.stderr)
    return out


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="boots per boot-time median")
    args = ap.parse_args()
    results = {hv: measure(hv, args.runs) for hv in HVS + ["native"]}
    rows = [(f"boot to first verdict, s (median of {args.runs})", "boot_s", ".2f"),
            ("null hypercall, CNTVCT ticks/call", "ticks", ".1f"),
            (f"null hypercall, instructions/call (-icount shift={ICOUNT_SHIFT})", "insns", ".0f"),
            (f"Linux domU boot to shell marker, s (1 vCPU, median of {args.runs})", "linux_s",
             ".2f")]
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'cloison':>10}  {'xen-4.17':>10}  {'native':>10}")
    for label, key, spec in rows:
        print(f"{label:{width}}  {fmt(results['cloison'][key], spec):>10}  "
              f"{fmt(results['xen'][key], spec):>10}  "
              f"{fmt(results['native'].get(key), spec):>10}")
    c, x, n = (results[h]["linux_s"] for h in ("cloison", "xen", "native"))
    print(f"Linux boot ratio Cloison/native: {ratio(c, n)} (target <= 1.3); "
          f"Cloison/Xen 4.17: {ratio(c, x)}")


if __name__ == "__main__":
    main()

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
  (d) dom0 boot: wall clock from QEMU start to the same shell marker for that kernel
      and initramfs as dom0 (tests/integration/test_dom0.py's guest-loader modules,
      dom0_mem=512M dom0_max_vcpus=1, one pCPU), under Cloison and Xen 4.17, and
      natively with 512 MiB; median of N boots each, with the ratios.
  (e) event channel round trip between two domains (evtchn_pingpong guest: d1 sends,
      d2's upcall sends back, d1's upcall; 2000 rounds; both wait in WFI), on one pCPU
      so each round trip includes two domain switches: CNTVCT ticks per round trip
      free-running, and instructions per round trip under -icount. Xen 4.17's default
      XSM policy (SILO) forbids domU<->domU channels (alloc_unbound -> -EPERM), so its
      figure is taken with `xsm=dummy` added to Xen's command line (marked so).

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
from test_dom0 import dom0_command  # noqa: E402

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


DOM0_MACHINE = qemu.Machine(gic=3, smp=1, mem_mib=2048)


def dom0_boot(hv, runs):
    """Seconds from QEMU start to the shell marker with the kernel as a 1-vCPU dom0;
    hv "native" boots it without EL2 with dom0's 512 MiB."""
    times = []
    for _ in range(runs):
        if hv == "native":
            cmd = qemu.native_command(DOM0_MACHINE, qemu.LinuxDomain(cpus=1, mem_kib=512 * 1024))
        else:
            cmd = dom0_command(DOM0_MACHINE, hv=hv, hv_bootargs="dom0_max_vcpus=1")
        with qemu.Console([], hv, cmd=cmd) as con:
            try:
                con.expect(qemu.LINUX_UP_RE, timeout=300)
            except qemu.Expired as e:
                raise RuntimeError(f"no dom0 shell marker under {hv}: {str(e).splitlines()[0]}")
            times.append(time.monotonic() - con.start)
    return statistics.median(times)


# Xen 4.17's default XSM SILO policy refuses event channels between two domUs.
EVTCHN_XEN_BOOTARGS = qemu.XEN_BOOTARGS + " xsm=dummy"


def evtchn_rt(hv, icount):
    """(CNTVCT ticks per round trip, CNTFRQ) from the evtchn_pingpong pair."""
    machine = qemu.Machine(gic=3, smp=1, icount_shift=ICOUNT_SHIFT if icount else None)
    doms = [qemu.Domain("evtchn_pingpong", enhanced="no-xenstore") for _ in range(2)]
    res = qemu.run(doms, hv, machine, timeout=300, linger=0.3,
                   until=qemu.verdicts_for(["evtchn_pingpong"] * 2),
                   bootargs=EVTCHN_XEN_BOOTARGS if hv == "xen" else None)
    ping = next((v for v in res.final() if v.kv.get("role") == "ping"), None)
    bad = [v.line for v in res.final() if v.status != "PASS"]
    if ping is None or bad:
        raise RuntimeError(f"evtchn_pingpong under {hv}: {bad or 'no ping verdict'}")
    return int(ping.kv["per_rt_milli"]) / 1000.0, int(ping.kv["cntfrq"])


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
             ("linux_s", lambda: linux_boot(hv, runs)),
             ("dom0_s", lambda: dom0_boot(hv, runs)),
             ("evtchn_ticks", lambda: evtchn_rt(hv, icount=False)[0]),
             ("evtchn_insns", lambda: insns_per_call(*evtchn_rt(hv, icount=True)))]
    if hv == "native":
        steps = [s for s in steps if s[0] in ("linux_s", "dom0_s")]
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
             ".2f"),
            (f"dom0 boot to shell marker, s (1 vCPU, median of {args.runs})", "dom0_s", ".2f"),
            ("evtchn round trip d1->d2->d1, CNTVCT ticks (1 pCPU) [xen: xsm=dummy]",
             "evtchn_ticks", ".0f"),
            (f"evtchn round trip, instructions (-icount shift={ICOUNT_SHIFT}) [xen: xsm=dummy]",
             "evtchn_insns", ".0f")]
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'cloison':>10}  {'xen-4.17':>10}  {'native':>10}")
    for label, key, spec in rows:
        print(f"{label:{width}}  {fmt(results['cloison'][key], spec):>10}  "
              f"{fmt(results['xen'][key], spec):>10}  "
              f"{fmt(results['native'].get(key), spec):>10}")
    c, x, n = (results[h]["linux_s"] for h in ("cloison", "xen", "native"))
    print(f"Linux boot ratio Cloison/native: {ratio(c, n)} (target <= 1.3); "
          f"Cloison/Xen 4.17: {ratio(c, x)}")
    c, x, n = (results[h]["dom0_s"] for h in ("cloison", "xen", "native"))
    print(f"dom0 boot ratio Cloison/native: {ratio(c, n)}; Cloison/Xen 4.17: {ratio(c, x)}")
    print("evtchn: Xen 4.17's default XSM (SILO) refuses domU<->domU channels; its "
          "figures are with xsm=dummy on Xen's command line.")


if __name__ == "__main__":
    main()

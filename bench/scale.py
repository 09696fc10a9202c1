#!/usr/bin/env python3
"""Domains at scale: Cloison beside Xen 4.17 on -M virt,gic-version=3, -cpu cortex-a57
(8-bit VMIDs) and -cpu max (16-bit VMIDs), 2 pCPUs, every domain 1 vCPU with the smallest RAM each accepts
(Cloison 2 MiB; Xen 4.17 panics below 8 MiB: "Unable to find suitable location
for dtb+initrd"), one guest image loaded once for all.

  (a) boot to all up, for 64 / 256 / 1,024 / 4,096 domains of the ticker guest
      (a timer tick and a hypercall every 4 s): seconds from QEMU's start to the
      last domain's first line, and the build time per domain at N from
      Cloison's own counter ("boot domains: N built, X us each for the last
      256"; below 256 domains, the whole build over N), for Xen from the arrival
      of its "LOADING DOMU" lines;
  (b) VMID rollovers per second and a CPU-bound witness domain's throughput
      (tput guest: work units per second of its counter, the median of two
      windows of at least three rounds of slices) with 16 / 256 / 1,024 / 4,096
      runnable domains (the witness and N-1 spinning ones): rollovers from two
      presses of Cloison's 'm' key around those windows; "x N/2" is the witness's
      figure scaled by its fair share (2 pCPUs over N vCPUs): flat in N when
      switching, rollovers included, costs nothing.
Xen 4.17 gives each domain a VMID for life: with 8-bit VMIDs it builds 255 domUs
and panics at the 256th, which is printed as its figure for N >= 256; on -cpu max
its 16-bit VMIDs let it go on.

Wall-clock figures on a shared host are this machine's; under -icount the
2 pCPUs would run in one host thread and 4,096 domains take far longer, so this
bench stays on wall clock. About 20 minutes per CPU model.
Run: /usr/bin/python3 bench/scale.py [--sizes 64,256] [--runnable 16,256] [--no-xen]
                                     [--cpus cortex-a57,max]
"""
import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402
import scale_boot as sb  # noqa: E402

SMP = 2
XEN_KIB = 8 * 1024
BLOCK_RE = re.compile(r"boot domains: (\d+) built, (\d+) us each")
TOTAL_RE = re.compile(r"boot domains: (\d+) built in (\d+) ms")
VMID_RE = re.compile(r"VMIDs: \d+ bits, (\d+) rollovers at (\d+) ms")
TPUT_RE = re.compile(r"\(d1\) TEST tput RUN units_per_s=(\d+)")
XEN_FAIL_RE = re.compile(r"\(XEN\) (?!\*|Panic|Reboot)(.*)")


# What Xen 4.17 spends per domain beyond its RAM: a dom0less domU's P2M pool is
# 2 MiB for 1 vCPU and 8 MiB (4 x (256 x vCPUs + RAM MiB) KiB, rounded up to MiB),
# and bench/density.py measured 2,159 KiB in all for a 4 MiB domain. A machine
# sized with Cloison's 256 KiB starved Xen: on -cpu max it built 253 domUs and
# panicked at the 254th ("Failed to allocate P2M pages"), not a VMID limit.
XEN_HV_KIB = 2560
# The largest guest machine a run may ask for: a 4,096-domain Xen machine would be
# 42 GiB, more than this host has; such a size is printed as not run.
MAX_MACHINE_MIB = 20 * 1024


def kib_for(hv):
    return sb.MIN_KIB if hv == "cloison" else XEN_KIB


def machine_for(hv, n, cpu):
    """The guest machine for n domains under hv, or None when it would not fit the host."""
    mach = sb.machine(n, cpu=cpu, smp=SMP, mem_kib=kib_for(hv),
                      hv_kib=256 if hv == "cloison" else XEN_HV_KIB)
    return mach if mach.mem_mib <= MAX_MACHINE_MIB else None


def too_big(hv, n, cpu):
    mib = sb.machine(n, cpu=cpu, smp=SMP, mem_kib=kib_for(hv), hv_kib=XEN_HV_KIB).mem_mib
    return f"not run: {n} domains need a {mib // 1024} GiB machine (host limit {MAX_MACHINE_MIB // 1024} GiB)"


def boot(hv, n, cpu):
    """(seconds to all up, ms per domain built at N) or (None, failure text)."""
    kib = kib_for(hv)
    # Cloison's domains take 2 MiB each, Xen's 8 MiB and its own share of each.
    mach = machine_for(hv, n, cpu)
    if mach is None:
        return None, too_big(hv, n, cpu)
    # until: none leaves before all are up (ticker.c).
    with sb.Run(sb.domains(n, "ticker", mem_kib=kib, bootargs="until=100000"), hv, mach,
                bootargs=None if hv == "xen" else qemu.CLOISON_BOOTARGS) as run:
        run.follow(900, lambda w: len(w.up) >= n or w.panics)
        if hv == "xen" and run.watch.panics:
            run.follow(5, lambda w: False)
    w = run.watch
    if len(w.up) < n:
        return None, failure(run, n)
    up = max(w.up.values())
    if hv == "cloison":
        blocks = [(int(m.group(1)), int(m.group(2))) for _, line in run.lines
                  for m in [BLOCK_RE.search(line)] if m]
        total = next((int(m.group(2)) / int(m.group(1)) for _, line in run.lines
                      for m in [TOTAL_RE.search(line)] if m), None)
        per = blocks[-1][1] / 1000 if blocks else total
    else:
        per = (w.created[-1] - w.created[0]) / (n - 1) * 1000 if n > 1 else None
    return up, per


def failure(run, n):
    w = run.watch
    why = ""
    for i, (_, line) in enumerate(run.lines):
        if "Panic on CPU" in line:
            why = " ".join(XEN_FAIL_RE.match(l).group(1) for _, l in run.lines[i + 1:i + 3]
                           if XEN_FAIL_RE.match(l))
            break
    return (f"fails: {len(w.created)} built, {len(w.up)} up of {n}"
            + (f", panic: {why.strip()}" if why else ""))


def runnable(hv, n, cpu):
    """(rollovers/s or None, witness units/s) with n runnable domains, or (None, failure)."""
    kib = kib_for(hv)
    # The witness's window holds at least three rounds of every runnable
    # domain's 10 ms slice over the pCPUs, so each window holds its slices.
    report_s = max(5, -(-n * 3 // (100 * SMP)))
    doms = [qemu.Domain("tput", mem_kib=kib, share_modules=True, bootargs=f"report_s={report_s}")]
    doms += sb.domains(n - 1, "spin", mem_kib=kib)
    mach = machine_for(hv, n, cpu)
    if mach is None:
        return None, too_big(hv, n, cpu)
    bootargs = qemu.CLOISON_BOOTARGS + " conswitch=ax" if hv == "cloison" else None
    with sb.Run(doms, hv, mach, bootargs=bootargs) as run:
        run.follow(900, lambda w: len(w.up) >= n or w.panics)
        if len(run.watch.up) < n:
            if run.watch.panics:
                run.follow(5, lambda w: False)
            return None, failure(run, n)
        mark = len(run.lines)
        rates = []

        def tput_since(i):
            return [int(m.group(1)) for _, line in run.lines[i:] for m in [TPUT_RE.search(line)] if m]

        def vmid_since(i):
            return [(int(m.group(1)), int(m.group(2))) for _, line in run.lines[i:]
                    for m in [VMID_RE.search(line)] if m]

        if hv == "cloison":
            run.write(b"m")
            run.follow(60, lambda w: vmid_since(mark))
        # Two reports after the first complete one, then the second press.
        run.follow(4 * report_s + 60, lambda w: len(tput_since(mark)) >= 3)
        rates = tput_since(mark)[1:]
        roll = None
        if hv == "cloison":
            mark2 = len(run.lines)
            run.write(b"m")
            run.follow(60, lambda w: vmid_since(mark2))
            (r0, t0), (r1, t1) = vmid_since(mark)[0], vmid_since(mark2)[0]
            roll = (r1 - r0) / ((t1 - t0) / 1000) if t1 > t0 else None
    return roll, statistics.median(rates) if rates else None


def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="64,256,1024,4096")
    ap.add_argument("--runnable", default="16,256,1024,4096")
    ap.add_argument("--no-xen", action="store_true")
    ap.add_argument("--cpus", default="cortex-a57,max",
                    help="QEMU CPU models, one set of tables each")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",") if x]
    runn = [int(x) for x in a.runnable.split(",") if x]
    hvs = ["cloison"] + ([] if a.no_xen else ["xen"])
    start = time.monotonic()
    for cpu in [c for c in a.cpus.split(",") if c]:
        tables(cpu, sizes, runn, hvs)
    print(f"(bench took {time.monotonic() - start:.0f} s)")


def tables(cpu, sizes, runn, hvs):
    vmids = "8-bit VMIDs" if cpu == "cortex-a57" else "its VMID width"
    print(f"Domains at scale: {cpu} ({vmids}), GICv3, {SMP} pCPUs; "
          f"RAM per domain: Cloison {sb.MIN_KIB // 1024} MiB, Xen {XEN_KIB // 1024} MiB")
    print(f"{'(a) boot to all up':28}  {'Cloison s':>10}  {'ms/domain':>10}  {'Xen 4.17':>10}  "
          f"{'ms/domain':>10}")
    xen_failed = None
    for n in sizes:
        row = {}
        for hv in hvs:
            if hv == "xen" and xen_failed is not None and n > xen_failed[0]:
                row[hv] = (None, xen_failed[1])
                continue
            row[hv] = boot(hv, n, cpu)
            if hv == "xen" and row[hv][0] is None:
                xen_failed = (n, row[hv][1])
        c = row["cloison"]
        line = f"{n:>6} domains{'':14}  "
        line += (f"{c[0]:>10.1f}  {fmt(c[1], '>10.1f')}" if c[0] is not None else f"{c[1]}")
        if "xen" in row:
            x = row["xen"]
            line += (f"  {x[0]:>10.1f}  {fmt(x[1], '>10.1f')}" if x[0] is not None else f"  Xen: {x[1]}")
        print(line, flush=True)
    print(f"{'(b) runnable domains':28}  {'rollovers/s':>11}  {'witness u/s':>11}  {'x N/2':>9}  "
          f"{'Xen u/s':>9}  {'x N/2':>9}")
    xen_failed = None
    for n in runn:
        roll, tput = runnable("cloison", n, cpu)
        line = f"{n:>6} runnable{'':13}  "
        if roll is None and isinstance(tput, str):
            line += tput
        else:
            line += f"{fmt(roll, '>11.1f')}  {fmt(tput, '>11.0f')}  {fmt(tput * n / SMP if tput else None, '>9.0f')}"
        if "xen" in hvs:
            if xen_failed is not None and n > xen_failed[0]:
                x = (None, xen_failed[1])
            else:
                x = runnable("xen", n, cpu)
                if isinstance(x[1], str):
                    xen_failed = (n, x[1])
            if isinstance(x[1], str):
                line += f"  Xen: {x[1]}"
            else:
                line += f"  {fmt(x[1], '>9.0f')}  {fmt(x[1] * n / SMP if x[1] else None, '>9.0f')}"
        print(line, flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""32-bit (AArch32) guests: armhf Linux boot time and the A32/T32 null hypercall, beside
Xen 4.17 and native.

(a) Debian 12's armhf kernels (linux-image-armmp-lpae and the non-LPAE armmp, with the
    armhf busybox initramfs; scripts/fetch-armhf.sh, mkinitramfs.py --arch armhf) to the
    kernel's "Freeing unused kernel image (initmem) memory" line (its last line before
    /init runs):

      native   the same zImage and initramfs booted by the same QEMU on an AArch32 CPU
               (-M virt without EL2, -cpu cortex-a15: QEMU's TCG cannot turn AArch64
               off on an ARMv8 CPU), 1 CPU, the domain's RAM;
      cloison  a 1-vCPU plain dom0less domU (vPL011) on a 1-pCPU cortex-a57 host;
      xen      the same under Xen 4.17.

    wall   seconds from QEMU's start (hypervisor boot and domain build included),
           interleaved runs, median shown; noisy on a shared host;
    vtime  the kernel's own timestamp of that line under -icount shift=0,sleep=off:
           every executed instruction, the hypervisor's included, advances the clock
           1 ns, idle time skipped; deterministic (the work the boot costs).
    The native CPU differs (ARMv7 cortex-a15 vs ARMv8 cortex-a57 in AArch32), so the
    ratio to native is indicative; the Cloison/Xen ratio compares like with like.

(b) Null hypercall xen_version(XENVER_version), 100,000 calls, 1 pCPU: the 64-bit
    hcall_null guest (HVC #0xEA1, x16) beside its AArch32 twins a32_hcall_null and
    t32_hcall_null (HVC #0xEA1, r12): CNTVCT ticks per call free-running, and
    instructions per call under -icount shift=0 (a tick is 16 instructions with
    QEMU virt's 62.5 MHz counter; the guest's loop and check included).

(c) A switch between two domains sharing one pCPU (bench/yieldswitch.py): two yield
    guests hand the pCPU to each other with SCHEDOP_yield, one alone yields to nobody;
    per yield alone and paired in instructions (-icount shift=0,sleep=off), per switch
    = pair/2 - alone, and per switch in CNTVCT ticks free-running (one run, noisy): the
    64-bit `yield` beside `a32_yield` and `t32_yield` (HVC #0xEA1, r12), 20,000 yields.
    Measured (Debian 12's QEMU 7.2): per switch Cloison 811 instructions A64, 1,069 A32,
    1,070 T32 (the EL1 trampoline carrying the live SPSR, twice per switch: +258); Xen
    4.17 1,687 / 1,710 / 1,710. Ticks: Cloison ~790 A64 but ~3,900 A32 (QEMU's soft
    TLB is dropped by the trampoline's MMU toggles), Xen ~3,450-3,650.

Run: /usr/bin/python3 bench/aarch32.py [--runs N] [--kernels lpae armmp] [--no-xen]
[--sections a b c].
A configuration that is missing or fails shows as n/a. For reading, not asserting.
About 12 minutes with the defaults on a two-core host ((c) alone: 2 minutes).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402
import yieldswitch as ys  # noqa: E402

MARKER_RE = r"\[\s*(\d+\.\d+)\] Freeing unused kernel (?:image \(initmem\) )?memory"
TIMEOUT = 240
NATIVE_CPU = "cortex-a15"
KERNELS = {"lpae": qemu.ArmhfLinuxDomain, "armmp": qemu.ArmmpLinuxDomain}
HCALL_CASES = ["hcall_null", "a32_hcall_null", "t32_hcall_null"]
YIELD_CASES = ["yield", "a32_yield", "t32_yield"]
ICOUNT_SHIFT = 0


def icount_args(cmd):
    # sleep=off: idle time is skipped, so the virtual clock counts work only.
    return ["shift=0,sleep=off" if a == "shift=0" else a for a in cmd]


def boot(hv, kernel, icount):
    """(wall seconds from QEMU's start, the kernel's timestamp) at the marker."""
    dom = KERNELS[kernel](cpus=1)
    shift = 0 if icount else None
    with tempfile.TemporaryDirectory() as wd:
        if hv == "native":
            cmd = qemu.native_command(qemu.Machine(gic=3, cpu=NATIVE_CPU, smp=1,
                                                   icount_shift=shift), dom)
            doms = []
        else:
            m = qemu.Machine(gic=3, smp=1, icount_shift=shift)
            bootargs = qemu.XEN_BOOTARGS if hv == "xen" else qemu.CLOISON_BOOTARGS
            cmd, doms = qemu.hv_command([dom], hv, m, Path(wd), bootargs), [dom]
        if icount:
            cmd = icount_args(cmd)
        with qemu.Console(doms, hv if hv != "native" else "cloison", cmd=cmd) as con:
            m = con.expect(MARKER_RE, timeout=TIMEOUT)
            return time.monotonic() - con.start, float(m.group(1))


def hcall(hv, case, icount):
    """(CNTVCT ticks per call, CNTFRQ) of one null-hypercall guest on one pCPU."""
    machine = qemu.Machine(gic=3, smp=1, icount_shift=ICOUNT_SHIFT if icount else None)
    res = qemu.run_cases([case], hv, machine, timeout=300)
    v = next((v for v in res.final() if v.case == case), None)
    if v is None or v.status != "PASS":
        raise RuntimeError(f"{case} under {hv}: {v.line if v else 'no verdict'}")
    return int(v.kv["per_call_milli"]) / 1000.0, int(v.kv["cntfrq"])


def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def ratio(a, b):
    return "n/a" if a is None or b is None or not b else f"{a / b:.2f}"


def attempt(label, fn):
    try:
        return fn()
    except (RuntimeError, AssertionError, FileNotFoundError, KeyError, ValueError) as e:
        print(f"[{label}] {str(e).splitlines()[0] if str(e) else type(e).__name__}",
              file=sys.stderr)
        return None


def boot_section(args, hvs):
    wall = {(hv, k): [] for hv in hvs for k in args.kernels}
    vtime = {}
    # Interleaved: every configuration once per round, so host noise spreads evenly.
    for rnd in range(args.runs):
        for k in args.kernels:
            for hv in hvs:
                r = attempt(f"{hv} {k} wall", lambda: boot(hv, k, icount=False))
                if r:
                    wall[(hv, k)].append(r[0])
                if rnd == 0:
                    r = attempt(f"{hv} {k} icount", lambda: boot(hv, k, icount=True))
                    vtime[(hv, k)] = r[1] if r else None

    print(f"armhf Linux boot to 'Freeing unused kernel image' (1 CPU; native: {NATIVE_CPU} "
          f"without EL2; domU: cortex-a57, 1 pCPU, GICv3)")
    head = " ".join(f"{hv:>8}" for hv in hvs)
    rh = " ".join(f"{hv[:3] + '/nat':>8}" for hv in hvs[1:])
    xr = f"{'clo/xen':>8}" if "xen" in hvs else ""
    print(f"wall s (median of {args.runs}), then vtime s (-icount shift=0,sleep=off)")
    print(f"{'kernel':10} {head} {rh} {xr}   {head} {rh} {xr}")
    for k in args.kernels:
        w = {hv: statistics.median(wall[(hv, k)]) if wall[(hv, k)] else None for hv in hvs}
        v = {hv: vtime.get((hv, k)) for hv in hvs}
        cols = []
        for d in (w, v):
            spec = ".2f" if d is w else ".3f"
            s = " ".join(f"{fmt(d[hv], spec):>8}" for hv in hvs) + " " + " ".join(
                f"{ratio(d[hv], d['native']):>8}" for hv in hvs[1:])
            if "xen" in hvs:
                s += f" {ratio(d['cloison'], d['xen']):>8}"
            cols.append(s)
        print(f"{k:10} {cols[0]}   {cols[1]}")


def hcall_section(hhv):
    print(f"Null hypercall xen_version, 1 pCPU: CNTVCT ticks/call and instructions/call "
          f"(-icount shift={ICOUNT_SHIFT})")
    print(f"{'guest':16} " + " ".join(f"{hv + ' ticks':>14}" for hv in hhv) + " "
          + " ".join(f"{hv + ' insns':>14}" for hv in hhv))
    for case in HCALL_CASES:
        ticks, insns = {}, {}
        for hv in hhv:
            t = attempt(f"{hv} {case}", lambda: hcall(hv, case, icount=False))
            ticks[hv] = t[0] if t else None
            t = attempt(f"{hv} {case} icount", lambda: hcall(hv, case, icount=True))
            insns[hv] = t[0] * (1e9 / t[1]) / (1 << ICOUNT_SHIFT) if t else None
        print(f"{case:16} " + " ".join(f"{fmt(ticks[hv], '.1f'):>14}" for hv in hhv) + " "
              + " ".join(f"{fmt(insns[hv], '.0f'):>14}" for hv in hhv))


def yield_section(hhv):
    print(f"Switch between two domains on one pCPU (SCHEDOP_yield, bench/yieldswitch.py): "
          f"instructions per yield alone and paired (-icount shift={ys.ICOUNT_SHIFT},"
          f"sleep=off), per switch = pair/2 - alone; and per switch in CNTVCT ticks "
          f"free-running")
    print(f"{'guest':10} {'hv':8} {'alone':>7} {'pair':>7} {'switch':>7} {'ticks/sw':>9}")
    for case in YIELD_CASES:
        for hv in hhv:
            i = attempt(f"{hv} {case} icount", lambda: ys.switch_cost(hv, case, icount=True))
            t = attempt(f"{hv} {case}", lambda: ys.switch_cost(hv, case, icount=False))
            alone, pair = i if i else (None, None)
            sw = ys.per_switch(alone, pair) if i else None
            tsw = ys.per_switch(*t) if t else None
            print(f"{case:10} {hv:8} {fmt(alone, '.0f'):>7} {fmt(pair, '.0f'):>7} "
                  f"{fmt(sw, '.0f'):>7} {fmt(tsw, '.1f'):>9}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2, help="wall-clock boots per configuration")
    ap.add_argument("--kernels", nargs="+", default=["lpae", "armmp"], choices=list(KERNELS))
    ap.add_argument("--no-xen", action="store_true")
    ap.add_argument("--sections", nargs="+", default=["a", "b", "c"], choices=["a", "b", "c"])
    args = ap.parse_args()
    hvs = ["native", "cloison"] + ([] if args.no_xen else ["xen"])
    hhv = [hv for hv in hvs if hv != "native"]
    sections = [("a", lambda: boot_section(args, hvs)), ("b", lambda: hcall_section(hhv)),
                ("c", lambda: yield_section(hhv))]
    first = True
    for name, run in sections:
        if name in args.sections:
            if not first:
                print()
            run()
            first = False


if __name__ == "__main__":
    main()

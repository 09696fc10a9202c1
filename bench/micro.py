#!/usr/bin/python3
"""vGIC micro-benchmarks (kvm-unit-tests micro-bench names), Cloison beside Xen 4.17.

Runs the microbench guest (tests/guests/cases/microbench.c; 2 vCPUs on a 2-pCPU
QEMU virt host) and prints, per op, CNTVCT ticks on a free-running QEMU and
instructions under `-icount shift=0`:

  hvc             HVC #0 SMCCC_VERSION round trip (kvm-unit-tests: hvc)
  mmio_read_vgic  load of GICD_IIDR, trapped and emulated
  eoi             EOI of spurious INTID 1023 (no trap: the virtual CPU interface)
  ipi             SGI to vCPU 1, until its handler ran (vCPU 1 waits in WFI)
  ipi_self        SGI to self, until taken
  mmio_read_uart  load of the vPL011's flag register, trapped and emulated
  uart_putc       one character as Linux's PL011 earlycon writes it (FR, DR,
                  FR: three exits), the bytes printed as lines of dots

Tick -> instruction derivation (as bench/run.py): with -icount shift=N QEMU's
virtual clock advances 2^N ns per executed instruction and CNTVCT counts that
clock at CNTFRQ Hz, so a tick is (1e9 / CNTFRQ) / 2^N instructions: 16 with
QEMU virt's 62.5 MHz counter and N = 0. Under -icount QEMU runs all vCPUs in
one thread, round-robin, so `ipi` counts the instructions of both pCPUs while
the sender waits (the receiver's wake-up included): it is elapsed work, not
the sender's alone. Figures include the guest's loop and check (a few
instructions per op). The guest's wait loops YIELD, as Linux's cpu_relax():
that one thread moves to another CPU only at such a hint, a WFI or the end of
its budget, so a plain spin kept vCPU 1 from ever starting (see DESIGN.md §4,
the -icount stalls).

Run: /usr/bin/python3 bench/micro.py. Needs `make` and scripts/fetch-xen.sh; a
hypervisor that is missing or fails shows as n/a. For reading, not asserting.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402

HVS = ["cloison", "xen"]
OPS = ["hvc", "mmio_read_vgic", "eoi", "ipi", "ipi_self", "mmio_read_uart", "uart_putc"]
ICOUNT_SHIFT = 0


def run_micro(hv, gic, icount):
    machine = qemu.Machine(gic=gic, smp=2, icount_shift=ICOUNT_SHIFT if icount else None)
    res = qemu.run([qemu.Domain("microbench", cpus=2)], hv, machine, timeout=300,
                   until=qemu.verdicts_for(["microbench"]), linger=0.3)
    v = next((v for v in res.final() if v.case == "microbench"), None)
    if v is None or v.status != "PASS":
        raise RuntimeError(f"microbench under {hv}: {v.line if v else 'no verdict'}")
    cntfrq = int(v.kv["cntfrq"])
    ticks = {op: int(v.kv[f"{op}_milli"]) / 1000.0 for op in OPS}
    if not icount:
        return ticks
    return {op: t * (1e9 / cntfrq) / (1 << ICOUNT_SHIFT) for op, t in ticks.items()}


def measure(hv, gic):
    out = {}
    for mode in ("ticks", "insns"):
        try:
            out[mode] = run_micro(hv, gic, icount=(mode == "insns"))
        except (RuntimeError, FileNotFoundError, KeyError, ValueError) as e:
            out[mode] = None
            print(f"[{hv} gicv{gic}] {mode}: {e}", file=sys.stderr)
    return out


def fmt(d, op, spec):
    return "n/a" if d is None else format(d[op], spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gic", type=int, nargs="+", default=[3, 2], choices=[2, 3])
    args = ap.parse_args()
    for gic in args.gic:
        res = {hv: measure(hv, gic) for hv in HVS}
        print(f"GICv{gic}: per op     {'ticks':>10} {'':>10}   "
              f"{'insns (-icount shift=' + str(ICOUNT_SHIFT) + ')':>24}")
        print(f"{'op':16} {'cloison':>10} {'xen-4.17':>10}   {'cloison':>11} {'xen-4.17':>11}")
        for op in OPS:
            print(f"{op:16} {fmt(res['cloison']['ticks'], op, '.1f'):>10} "
                  f"{fmt(res['xen']['ticks'], op, '.1f'):>10}   "
                  f"{fmt(res['cloison']['insns'], op, '.0f'):>11} "
                  f"{fmt(res['xen']['insns'], op, '.0f'):>11}")
        print()


if __name__ == "__main__":
    main()

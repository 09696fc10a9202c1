#!/usr/bin/python3
"""Many toolstack domains: `xl create` of N small domains in a loop, Cloison beside Xen 4.17.

Issue 11 asks that with dom0's toolstack 1,000 small domUs be started with `xl create`
in a loop, the time per create flat in N, and `xl list` answer at 1,000 domains, beside
Xen 4.17 on `-cpu max` doing the same (cortex-a57's 8-bit VMIDs stop Xen at 255 domUs).

One QEMU session per hypervisor, one after the other, with the toolstack dom0 of
tests/integration/test_toolstack.py and bench/toolstack.py's overlay (its `tsbench`
helper and /etc/xen/small.cfg: the `idle` test guest, 4 MiB, 1 vCPU, no devices, a
1 Hz timer). In blocks of N/10 domains:

  xl create      each create timed by dom0's clock; per block its median and worst;
  xl list        after each block: time by dom0's clock, how many domains it shows and
                 how many small ones are running or blocked (all of them must be), and
                 the CPU seconds it reports so far for dom0 and for all small domains
                 (where the time goes as N grows);
then every small domain is destroyed (median per block) and `xl info` free_memory
must be back where it was before the first create.

Run: /usr/bin/python3 bench/xl_many.py [--n 1000] [--xen-n N] [--cpu max] [--hvs cloison,xen]
--xen-n caps Xen's side (its creates take seconds each: 1,000 of them are hours of TCG).
A side that cannot go on prints how far it got and why. --mode wall (default) gives
this host's wall clock, noisy when it is loaded; --mode icount runs one pCPU under
`-icount shift=0,sleep=off`, where a figure counts instructions and does not depend on
the host's load: the one to judge "flat in N" by on a busy machine.
Part of `make bench` (BENCH_XL_MANY=1000 under -icount, Xen to BENCH_XL_MANY_XEN=200);
for reading, not asserting.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import toolstack as tsb  # noqa: E402
from toolstack import NA, Bench, LoggedConsole, qemu, ts  # noqa: E402

DOM0_MIB = ts.DOM0_MIB
HEADROOM_MIB = 768  # the hypervisor, its per-domain memory, rounding


class Run:
    """One hypervisor's session: per block, the create and destroy times and the
    xl list figures; `stop` says why it ended early, if it did."""

    def __init__(self, hv: str):
        self.hv = hv
        self.blocks: list[dict] = []
        self.stop = ""
        self.boot_s = None
        self.free_before = self.free_after = None


def block_edges(n: int, blocks: int) -> list[tuple[int, int]]:
    """[(first, last)] of domains s1..sN cut into `blocks` blocks."""
    size = max(1, -(-n // blocks))
    return [(a, min(n, a + size - 1)) for a in range(1, n + 1, size)]


def times(out: str, key: str) -> list[float]:
    return [int(m.group(1)) / 1e9 for m in re.finditer(rf"^TSB {key}=(\d+)", out, re.M)]


def session(hv: str, n: int, args, fs: Path) -> Run:
    run = Run(hv)
    mem = DOM0_MIB + n * tsb.SMALL_MIB + HEADROOM_MIB
    smp, extra = tsb.MODES[args.mode]
    cmd = ts.command(hv, fs=fs, cpu=args.cpu, mem_mib=mem, smp=smp, extra=extra)
    tsb.LOGS.mkdir(parents=True, exist_ok=True)
    log = tsb.LOGS / f"xl-many-{hv}-{args.mode}.log"
    t0 = time.monotonic()
    with LoggedConsole(log, 0.1 if args.mode == "icount" else 0.03, hv=hv, cmd=cmd) as con:
        b = Bench(con, hv, args.mode)
        try:
            b.boot()
            run.boot_s = b.got["boot"][0]
            run.free_before = int(b.tsb("free")["free_mib"])
            for first, last in block_edges(n, args.blocks):
                rc, out = b.s.sh(f"tsbench many {first} {last}", (last - first + 1) * 120)
                made = times(out, "create_ns")
                fail = re.search(r"^TSB-FAIL (.*)$", out, re.M)
                row = {"first": first, "last": first + len(made) - 1, "create": made}
                run.blocks.append(row)
                if fail or rc != 0 or len(made) != last - first + 1:
                    raise NA(f"create of s{first + len(made)}: "
                             + (fail.group(1).strip() if fail else f"exited {rc}"))
                v = b.tsb("list", ts.STEP * 2)
                row.update(list_s=int(v["list_ns"]) / 1e9, listed=int(v["domains"]),
                           running=int(v["running"]), dom0_cpu=float(v["dom0_cpu_s"]),
                           small_cpu=float(v["small_cpu_s"]))
                print(f"[{hv}] s{first}..s{last}: create median "
                      f"{statistics.median(made):.2f} s, xl list {row['list_s']:.2f} s, "
                      f"{row['running']} running; CPU s so far: dom0 {row['dom0_cpu']:.1f}, "
                      f"small domains {row['small_cpu']:.1f}", file=sys.stderr, flush=True)
                if row["running"] != last:
                    raise NA(f"{row['running']} small domains running after s{last}")
            for row in run.blocks:
                rc, out = b.s.sh(f"tsbench unmany {row['first']} {row['last']}",
                                 (row["last"] - row["first"] + 1) * 120)
                row["destroy"] = times(out, "destroy_ns")
                if rc != 0:
                    raise NA(f"destroy in s{row['first']}..s{row['last']} exited {rc}")
            run.free_after = int(b.tsb("free")["free_mib"])
        except NA as e:
            run.stop = str(e)
        except qemu.Expired as e:
            run.stop = f"no answer: {str(e).splitlines()[0][:100]}"
    print(f"[{hv}] session {time.monotonic() - t0:.0f} s, console in {log}",
          file=sys.stderr, flush=True)
    return run


def fmt(vals: list[float], f=statistics.median) -> str:
    return f"{f(vals):.2f}" if vals else "-"


def table(runs: list[Run], args) -> None:
    smp, _ = tsb.MODES[args.mode]
    clock = ("wall clock" if args.mode == "wall" else
             "virtual seconds under -icount shift=0,sleep=off (10^9 instructions + skipped idle)")
    print(f"xl create loop: Debian's xl 4.17 in a Debian dom0 ({DOM0_MIB} MiB) on QEMU virt "
          f"(-cpu {args.cpu}, {smp} pCPU(s), GICv3, TCG); small domain: idle test guest, "
          f"{tsb.SMALL_MIB} MiB, 1 vCPU. Seconds by dom0's clock, {clock}.")
    for run in runs:
        print()
        print(f"{run.hv}: dom0 up in "
              + (f"{run.boot_s:.0f} s" if run.boot_s is not None else "n/a"))
        print(f"  {'domains':>13}  {'create med':>10}  {'create max':>10}  {'xl list':>8}  "
              f"{'listed':>6}  {'running':>7}  {'destroy med':>11}  {'dom0 CPU':>8}  "
              f"{'small CPU':>9}")
        for r in run.blocks:
            print(f"  {'s%d..s%d' % (r['first'], r['last']):>13}  {fmt(r['create']):>10}  "
                  f"{fmt(r['create'], max):>10}  "
                  f"{r['list_s'] if 'list_s' in r else float('nan'):8.2f}  "
                  f"{r.get('listed', '-'):>6}  {r.get('running', '-'):>7}  "
                  f"{fmt(r.get('destroy', [])):>11}  {r.get('dom0_cpu', float('nan')):8.1f}  "
                  f"{r.get('small_cpu', float('nan')):9.1f}")
        if run.free_before is not None and run.free_after is not None:
            print(f"  free_memory {run.free_before} MiB before, {run.free_after} MiB after "
                  + ("(back exactly)" if run.free_before == run.free_after else "(NOT back)"))
        if run.stop:
            print(f"  stopped: {run.stop}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="small domains to create")
    ap.add_argument("--xen-n", type=int, default=None, help="Xen's N (default: --n)")
    ap.add_argument("--blocks", type=int, default=10)
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--hvs", default="cloison,xen")
    ap.add_argument("--mode", default="wall", choices=sorted(tsb.MODES),
                    help="wall: free-running QEMU on 2 pCPUs; icount: -icount shift=0,"
                         "sleep=off on 1 pCPU (virtual seconds: instructions, whatever "
                         "the host's load)")
    args = ap.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="cloison-xlmany-") as tmp:
        try:
            fs = tsb.overlay_fs(Path(tmp))
        except FileNotFoundError as e:
            sys.exit(f"bench/xl_many.py: {e}")
        for hv in [h for h in args.hvs.split(",") if h]:
            n = args.xen_n if hv == "xen" and args.xen_n is not None else args.n
            try:
                runs.append(session(hv, n, args, fs))
            except FileNotFoundError as e:
                r = Run(hv)
                r.stop = str(e)
                runs.append(r)
    table(runs, args)


if __name__ == "__main__":
    main()

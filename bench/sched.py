#!/usr/bin/python3
"""Scheduling isolation, Cloison beside Xen 4.17 (Debian's) in the same run.

(a) Latency of a guest's vCPU (the latency guest, poll mode, 5 s; QEMU virt -smp 2),
    per scheduler and placement, with and without a hostile neighbour (the spin
    guest with 3 vCPUs spinning with interrupts masked):
      idle          the latency guest alone
      shared        beside the spinner on the same two pCPUs (the default scheduler)
      pool-null     Xen's boot-time cpupools (device tree): the latency guest alone in
                    a pool "rt" of pCPU 1 with the null scheduler, the spinner in
                    Pool-0 (pCPU 0, credit2)
      pool-arinc653 the same pools with "rt" on the ARINC 653 scheduler, the latency
                    guest's window the whole 10 ms major frame (Cloison's
                    cloison,arinc653-* properties; Xen has no boot-time pools nor a
                    device-tree schedule)
      sched=NAME    the whole machine on scheduler NAME (`sched=` on the command
                    line), beside the spinner
    Per row: worst gap, p99 of the per-millisecond worst gaps, time lost, the time
    the host did not run QEMU's thread (host_off), and hv_share = (lost - host_off) /
    time the thread ran (tests/integration/schedmeasure.py: the host is shared, so
    the guest's own figure is corrected by what the host took). A hypervisor that
    lacks a scheduler or boot-time pools shows the row as "n/a" with what it said.
    The timer variant (1 ms deadlines, WFI between them) idle and beside the
    spinner: worst and p99 handler lateness and misses, raw (the vCPU idles, so
    the host's part cannot be taken out: for reading beside the other rows).
    Run-time pools (Xen 4.17 has them; boot-time ones and null it lacks): Debian's xl
    in a toolstack dom0 moves pCPU 1 into a pool "rt" (credit2, then null), creates
    the spinner in Pool-0 and the latency guest in "rt"; same figures (--no-toolstack
    leaves this out).
    The speedometer beside the crash-looping infotainment Linux (the demo's
    scenario), sharing the pCPUs and in the "rt" pool: seconds, deadlines missed,
    the worst lateness, hv_share (sharing: the mean of both threads, approximate).
(b) Context-switch cost (deterministic): two `yield` guests on one pCPU under
    -icount shift=0,sleep=off hand the pCPU to each other with SCHEDOP_yield; one
    alone yields to nobody. pair / 2 - alone = the instructions of one switch
    between domains (save, scheduler decision, restore), the yield hypercall
    excluded (bench/yieldswitch.py, shared with bench/aarch32.py).

Interleaved: each round runs every scenario on each hypervisor in turn, so a
change in the host's load falls on both. Run: /usr/bin/python3 bench/sched.py
[--runs N]; needs `make` and scripts/fetch-xen.sh. For reading, not asserting.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402
import schedmeasure as sm  # noqa: E402
import test_toolstack as ts  # noqa: E402
import yieldswitch as ys  # noqa: E402

HVS = ["cloison", "xen"]
ICOUNT_SHIFT = ys.ICOUNT_SHIFT
MEASURE_MS = 5000
SPIN_READY = r"TEST spin RUN spinning with interrupts masked vcpus=3"
POOLS = [sm.Pool("pool0", [0], "credit2"), sm.Pool("rt", [1], "null")]
# Schedulers by Xen's names; which one a hypervisor has is read from its boot lines.
SCHEDULERS = ["credit", "credit2", "null", "arinc653"]
GUEST_LINE = re.compile(r"\(d\d+\)|DOM\d+:|TEST ")


def hv_lines(res):
    return [line for _, line in res.lines if not GUEST_LINE.search(line)]


def latency_dom():
    return qemu.Domain("latency", bootargs=f"ms={MEASURE_MS}")


def base_bootargs(hv):
    return qemu.XEN_BOOTARGS if hv == "xen" else qemu.CLOISON_BOOTARGS


def refusal(res, what):
    """A hypervisor line saying `what` is unknown, unsupported or ignored, if any."""
    bad = re.compile(rf"(?i)(could not find|unknown|unsupported|not supported|ignor|"
                     rf"misses|dropped|invalid).*{what}|{what}.*(ignor|unsupported|"
                     rf"not supported|unknown)")
    return next((line.strip() for line in hv_lines(res) if bad.search(line)), None)


# pool-arinc653: the latency guest's one window fills the major frame, so it
# is alone on its pCPU as under null, re-picked at every frame's start.
ARINC_FRAME_US = 10000


def arinc653_edit(dts):
    pools = [POOLS[0], sm.Pool("rt", [1], "arinc653")]
    dts = sm.pools_edit(pools, {0: "rt", 1: "pool0"})(dts)
    return dts + "\n".join([
        "/ {", "\tchosen {", "\t\trt {",
        f"\t\t\tcloison,arinc653-major-frame-us = <{ARINC_FRAME_US}>;",
        f"\t\t\tcloison,arinc653-schedule = <&{{/chosen/domU1}} 0 {ARINC_FRAME_US}>;",
        "\t\t};", "\t};", "};", ""])


def scenarios():
    """name -> (domains, cpus for the host correction, bootargs suffix, dts_edit,
    ready regex, what the hypervisor must not refuse)."""
    out = {
        "idle": ([latency_dom()], "busiest", "", None, None, None),
        "shared": ([latency_dom(), qemu.Domain("spin", cpus=3)], [0, 1], "", None,
                   SPIN_READY, None),
        "pool-null": ([latency_dom(), qemu.Domain("spin", cpus=3)], [1], "",
                      sm.pools_edit(POOLS, {0: "rt", 1: "pool0"}), SPIN_READY, "cpupool"),
        "pool-arinc653": ([latency_dom(), qemu.Domain("spin", cpus=3)], [1], "",
                          arinc653_edit, SPIN_READY, "cpupool"),
    }
    for s in SCHEDULERS:
        out[f"sched={s}"] = ([latency_dom(), qemu.Domain("spin", cpus=3)], [0, 1],
                             f" sched={s}", None, SPIN_READY, "sched")
    return out


def run_latency(hv, name, spec):
    doms, cpus, extra, edit, ready, must = spec
    res, fig = sm.measure_latency(doms, hv, qemu.Machine(gic=3, smp=2), cpus,
                                  timeout=240, bootargs=base_bootargs(hv) + extra,
                                  dts_edit=edit, ready=None)
    said = refusal(res, must) if must else None
    if said:
        return None, f"{hv} says: {said}"
    if name.startswith("sched="):
        want = name.split("=", 1)[1]
        named = [ln.strip() for ln in hv_lines(res)
                 if re.search(r"(?i)sched", ln) and not re.search(r"(?i)command line", ln)]
        if not any(re.search(rf"\b{want}\b", ln) for ln in named):
            return None, (f"{hv} names no scheduler {want} at boot"
                          + (f" ({named[0]})" if named else " (sched= ignored)"))
    if name.startswith("pool-") and not any(re.search(r"(?i)pool", ln) for ln in hv_lines(res)):
        return None, f"{hv} shows no pool at boot (the xen,cpupool nodes are ignored)"
    if fig is None:
        last = next((v.line for v in res.final() if v.case == "latency"), "no verdict")
        return None, f"{hv}: latency guest: {last}"
    if ready and not re.search(ready, res.output):
        return None, f"{hv}: the spinner never started"
    return fig, None


def run_timer(hv, spinner):
    """The latency guest's timer mode (1 ms deadlines, WFI between them): raw
    figures (the vCPU idles, so no host correction applies)."""
    dom = qemu.Domain("latency", bootargs=f"ms={MEASURE_MS} timer=1 period_us=1000 "
                      "margin_us=1000")
    doms = [dom] + ([qemu.Domain("spin", cpus=3)] if spinner else [])
    res = qemu.run(doms, hv, qemu.Machine(gic=3, smp=2), timeout=240,
                   until=qemu.verdicts_for(["latency"]), linger=0.3)
    v = next((v for v in res.final() if v.case == "latency"), None)
    if v is None or v.status != "PASS":
        raise RuntimeError(f"latency timer under {hv}: {v.line if v else 'no verdict'}")
    return v.kv


def runtime_pool(hv, rt_sched):
    """Run-time pools from Debian's toolstack in dom0 (-smp 2): pCPU 1 taken out of
    Pool-0 into a pool "rt" with rt_sched (`xl cpupool-cpu-remove`, `cpupool-create`),
    the 3-vCPU spinner created in Pool-0 beside dom0, then the latency guest in "rt"
    (`xl create ... pool="rt"`); its figures come on its vuart. (Figures, or None
    and what went wrong.)"""
    cmd = ts.command(hv, extra=tuple(sm.QEMU_ARGS), smp=2)
    with qemu.Console([], hv=hv, cmd=cmd) as con:
        with sm.Sampler(con.proc.pid, con.start, 2) as sampler:
            s = ts.Session(con, hv)
            try:
                ts.boot(con, s, "ocaml")
                for c in ("xl cpupool-cpu-remove Pool-0 1",
                          f"xl cpupool-create 'name=\"rt\"' 'sched=\"{rt_sched}\"' "
                          "'cpus=\"1\"'",
                          "xl create /etc/xen/spin.cfg"):
                    rc, out = s.sh(c)
                    if rc:
                        return None, f"{hv}: `{c}` exited {rc}: {out.strip()[-200:]}"
                mark = len(con.res.output)
                rc, out = s.sh("xl create /etc/xen/latency.cfg 'pool=\"rt\"'")
                if rc:
                    return None, f"{hv}: xl create pool=rt exited {rc}: {out.strip()[-200:]}"
                # It waits 20 s (wait_ms) before measuring: its lines then come live.
                s.attach("-t vuart latency")
                con.expect(r"TEST latency RUN measuring", timeout=60, since=mark)
                con.expect(r"TEST latency (PASS|FAIL)[^\n]*\n", timeout=120, since=mark)
                sampler.wait_past(time.monotonic() - con.start)
                s.detach()
            except (qemu.Expired, AssertionError) as e:
                return None, f"{hv}: {str(e).splitlines()[0]}"
    v = next((v for v in con.res.final() if v.case == "latency"), None)
    if v is None or v.status != "PASS":
        return None, f"{hv}: latency guest: {v.line if v else 'no verdict'}"
    kv = v.kv
    fig = sm.judge(sampler, sm.clock_offset(con.res), int(kv["end_us"]), int(kv["window_us"]),
                   int(kv["lost_us"]), [1], {k: kv[k] for k in ("worst_gap_us",
                                                                  "p99_ms_worst_us")})
    return fig, None


def speedometer(hv, pools):
    """The speedometer (10 ms deadlines) beside the crash-looping infotainment Linux
    until it has crashed and come back once: (seconds, missed, worst late ms, Figures
    over the whole run) or raise. In the pool it is on pCPU 1; sharing, it may be on
    either, and the mean of both threads is an approximation (Linux idles at times)."""
    info = qemu.LinuxDomain(cpus=2, on_reboot="restart", on_crash="restart",
                            bootargs=f"{qemu.LINUX_BOOTARGS} cloison_name=infotainment "
                            "cloison.panic_after=3 panic=1")
    speedo = qemu.Domain("speedometer", bootargs="period_ms=10 margin_us=2000")
    edit = sm.pools_edit(POOLS, {0: "rt", 1: "pool0"}) if pools else None
    up = r"CLOISON-LINUX-UP nproc=\d+ cpus=\S+ name=infotainment"
    with qemu.Console([speedo, info], hv, qemu.Machine(gic=3, smp=2), dts_edit=edit,
                      bootargs=base_bootargs(hv), extra_args=sm.QEMU_ARGS) as con:
        with sm.Sampler(con.proc.pid, con.start, 2) as sampler:
            con.expect(r"TEST speedometer RUN sec=1 ", timeout=300, since=0)
            if pools and (refusal(con.res, "cpupool") or not any(
                    re.search(r"(?i)pool", ln) for ln in hv_lines(con.res))):
                raise RuntimeError(f"{hv} has no boot-time pools")
            con.expect(up, timeout=600)
            con.expect(r"CLOISON-LINUX-CRASHING", timeout=120)
            # Xen 4.17's dom0less has no on_reboot: the domain stays down there.
            try:
                con.expect(up, timeout=150)
                restarted = "restarted"
            except qemu.Expired:
                restarted = "not restarted"
            con.expect(r"TEST speedometer RUN sec=\d+ [^\n]*\n", timeout=30)
            sampler.wait_past(time.monotonic() - con.start)
    lines = [v for v in con.res.verdicts if v.case == "speedometer" and "sec" in v.kv]
    start, end = int(lines[0].kv["end_us"]), int(lines[-1].kv["end_us"])
    lost = sum(int(v.kv["lost_us"]) for v in lines[1:])
    fig = sm.judge(sampler, sm.clock_offset(con.res), end, end - start, lost,
                   [1] if pools else [0, 1])
    missed = sum(int(v.kv["missed"]) for v in lines[1:])
    worst = max(int(v.kv["worst_late_us"]) for v in lines[1:]) / 1e3
    return len(lines) - 1, missed, worst, fig, restarted


def ctx_switch(hv):
    """(alone, pair) instructions per yield, or raise."""
    return ys.switch_cost(hv, "yield", bootargs="n=20000")


def fmt_fig(figs):
    if not figs:
        return None
    med = lambda f: statistics.median(f(x) for x in figs)  # noqa: E731
    return (f"{med(lambda x: int(x.extra['worst_gap_us'])) / 1e3:9.1f} "
            f"{med(lambda x: int(x.extra['p99_ms_worst_us'])) / 1e3:8.2f} "
            f"{med(lambda x: x.lost_us) / 1e3:9.0f} {med(lambda x: x.host_off_us) / 1e3:9.0f} "
            f"{med(lambda x: x.hv_share):8.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--only", nargs="*", help="scenario names (default: all)")
    ap.add_argument("--no-toolstack", action="store_true",
                    help="leave out the run-time pool made with xl in dom0 (the longest)")
    args = ap.parse_args()
    specs = scenarios()
    names = args.only or list(specs)
    figs = {(hv, n): [] for hv in HVS for n in names}
    why = {}
    for _ in range(args.runs):
        for name in names:
            for hv in HVS:
                if (hv, name) in why:
                    continue
                try:
                    fig, reason = run_latency(hv, name, specs[name])
                except (qemu.Expired, FileNotFoundError, ValueError, RuntimeError) as e:
                    fig, reason = None, f"{hv}: {str(e).splitlines()[0]}"
                if fig is None:
                    why[(hv, name)] = reason
                else:
                    figs[(hv, name)].append(fig)
    print(f"Latency guest, {MEASURE_MS} ms, QEMU virt -smp 2 (median of {args.runs}); "
          "ms except hv_share")
    print(f"{'scenario':13} {'hv':8} {'worst':>9} {'p99/ms':>8} {'lost':>9} {'host_off':>9} "
          f"{'hv_share':>8}")
    for name in names:
        for hv in HVS:
            row = fmt_fig(figs[(hv, name)])
            print(f"{name:13} {hv:8} {row if row else 'n/a  (' + why.get((hv, name), '?') + ')'}")
    if not args.no_toolstack:
        print()
        print("Run-time pool from Debian's xl in dom0 (Xen 4.17 has run-time pools, not "
              "boot-time ones): pCPU 1 in pool rt, spinner and dom0 in Pool-0")
        for rt in ("credit2", "null"):
            for hv in HVS:
                try:
                    fig, reason = runtime_pool(hv, rt)
                except (FileNotFoundError, ValueError, RuntimeError) as e:
                    fig, reason = None, f"{hv}: {e}"
                row = fmt_fig([fig]) if fig else None
                reason = " | ".join(ln.strip() for ln in (reason or "").splitlines()
                                    if ln.strip())
                print(f"{'rt=' + rt:12} {hv:8} {row if row else 'n/a  (' + reason + ')'}")
    print()
    print(f"Timer deadlines every 1 ms for {MEASURE_MS} ms, WFI between (raw guest figures, "
          "not corrected for the host): lateness in ms, misses = over 1 ms late or skipped")
    print(f"{'scenario':12} {'hv':8} {'worst':>9} {'p99':>8} {'misses':>7} {'deadlines':>9}")
    for label, spin in (("idle", False), ("shared", True)):
        for hv in HVS:
            try:
                kv = run_timer(hv, spin)
                print(f"{label:12} {hv:8} {int(kv['worst_late_us']) / 1e3:9.2f} "
                      f"{int(kv['p99_late_us']) / 1e3:8.2f} {kv['misses']:>7} "
                      f"{kv['deadlines']:>9}")
            except (RuntimeError, FileNotFoundError, KeyError) as e:
                print(f"{label:12} {hv:8} n/a ({e})")
    print()
    print("Speedometer (10 ms deadlines, missed when over 2 ms late) beside a 2-vCPU Linux "
          "that panics and is restarted, until it came back once (or 150 s after its crash)")
    print(f"{'scenario':12} {'hv':8} {'seconds':>7} {'missed':>7} {'worst ms':>9} "
          f"{'hv_share':>8}")
    for label, pools in (("shared", False), ("pool", True)):
        for hv in HVS:
            try:
                secs, missed, worst, fig, restarted = speedometer(hv, pools)
                print(f"{label:12} {hv:8} {secs:7d} {missed:7d} {worst:9.1f} "
                      f"{fig.hv_share:8.3f}  (infotainment {restarted})")
            except (RuntimeError, FileNotFoundError, KeyError, ValueError, IndexError,
                    qemu.Expired) as e:
                print(f"{label:12} {hv:8} n/a ({str(e).splitlines()[0]})")
    print()
    print(f"Context switch between two domains on one pCPU (-icount shift={ICOUNT_SHIFT}, "
          "instructions)")
    print(f"{'hv':8} {'yield alone':>12} {'yield pair':>11} {'per switch':>11}")
    for hv in HVS:
        try:
            alone, pair = ctx_switch(hv)
            print(f"{hv:8} {alone:12.0f} {pair:11.0f} {ys.per_switch(alone, pair):11.0f}")
        except (RuntimeError, FileNotFoundError, KeyError, ValueError) as e:
            print(f"{hv:8} n/a ({e})")


if __name__ == "__main__":
    main()

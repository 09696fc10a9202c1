"""Real-time isolation (issue 12): how much of its pCPU's time a latency-sensitive
guest loses, alone, beside a hostile neighbour, and in a cpupool of its own.

Figures are judged relative to the time QEMU's vCPU thread actually ran on the
shared host (schedmeasure.py: hv_share = (time the guest lost - time the host did
not run the thread) / time the thread ran). The guests:
  - latency (poll mode): reads the virtual counter back to back, interrupts masked,
    for MEASURE_MS; reports its worst gap, the p99 of per-millisecond worst gaps and
    the total time lost;
  - spin with 3 vCPUs: the hostile neighbour, every vCPU spinning with interrupts
    masked;
  - speedometer: a 10 ms periodic deadline, statistics every second;
  - infotainment: Debian's kernel that panics PANIC_AFTER_S seconds after its
    userspace is up, resets (panic=1) and is restarted (on_reboot="restart").

Machine: QEMU virt, -smp 2 (two pCPUs, as many as the host has cores, so the host
preempts QEMU's threads as little as it can). Pools use Xen 4.17's device-tree
binding (docs/misc/arm/device-tree/cpupools.txt): Pool-0 = pCPU 0 (the boot CPU,
credit2) for the neighbours, "rt" = pCPU 1 with the null scheduler for the guest
that must keep its time.

Margins (fixed, judged on hv_share, i.e. on QEMU thread time):
  - IDLE_MARGIN 0.05: alone on the machine the guest loses only what the
    hypervisor's own interrupts cost (slice timer, console) and the error of the
    method (the window is placed on host time to a few ms by the console's delay,
    host samples every 10 ms, runtime interpolated): ~1-2% here. 5% bounds that.
  - POOL_MARGIN 0.05 over the idle figure: a null pool gives the guest its pCPU,
    so nothing but the method's error may separate it from the idle figure; a
    scheduler that gave even one slice in 20 away would fail.
  - FAIR_SHARE 0.5 +- 0.15 beside a spinner sharing the pCPUs (4 vCPUs on 2 pCPUs,
    equal weights): the spinner gets its share and no more. Today's round-robin
    places the guest with one spinner vCPU on pCPU 0: it loses half.
  - SPEEDO_MARGIN_US 2000: a deadline handled more than 2 ms late (a fifth of the
    10 ms period) is missed. A missed deadline is excused only if the host did not
    run the speedometer's thread for at least its lateness in that second (the
    host, not the hypervisor, made it late); the test counts the others, which
    must be zero.

Tests that need pools and the null scheduler (`pools`, `policies` branches) are
named *_null_pool_*; until those land they fail (the hypervisor refuses or ignores
the pool nodes), by design. RT_SCHED=credit2 in the environment gives the "rt" pool
credit2 instead of null (a one-pCPU pool isolates under either): with the `sched`
and `pools` branches merged and credit2 there, all three pass (idle 0.011, beside
the spinners 0.013; the speedometer 84 s beside 3 crashes: 0.029, every miss the
host's).
"""

import os
import re

import pytest

import qemu
import schedmeasure as sm

MEASURE_MS = 5000
IDLE_MARGIN = 0.05
POOL_MARGIN = 0.05
FAIR_SHARE, FAIR_TOL = 0.5, 0.15
SPEEDO_PERIOD_MS = 10
SPEEDO_MARGIN_US = 2000
PANIC_AFTER_S = 3
RESTARTS = 2
LINUX_TIMEOUT = 600

SPIN_READY = r"TEST spin RUN spinning with interrupts masked vcpus=3"
POOLS = [sm.Pool("pool0", [0], "credit2"), sm.Pool("rt", [1], os.environ.get("RT_SCHED", "null"))]


def latency_dom(**kw):
    return qemu.Domain("latency", bootargs=f"ms={MEASURE_MS}", **kw)


def spinner():
    return qemu.Domain("spin", cpus=3)


def infotainment():
    boot = (f"{qemu.LINUX_BOOTARGS} cloison_name=infotainment "
            f"cloison.panic_after={PANIC_AFTER_S} panic=1")
    return qemu.LinuxDomain(cpus=2, bootargs=boot, on_reboot="restart", on_crash="restart")


POOL_IGNORED = r"(?i)cpupool.*(not supported|ignored|unknown)"


def assert_pools_honoured(res):
    """The hypervisor did not refuse or ignore the pool nodes (until pools land, it
    does: the *_null_pool_* tests then fail here, saying so)."""
    said = re.search(POOL_IGNORED, res.output)
    assert not said, f"the hypervisor ignores the pools: {said.group(0)}"


def measure(doms, cpus, dts_edit=None, ready=None, hv="cloison"):
    res, fig = sm.measure_latency(doms, hv, qemu.Machine(gic=3, smp=2), cpus,
                                  dts_edit=dts_edit, ready=ready)
    assert fig is not None, "latency guest did not pass\n" + res.describe()
    if dts_edit:
        assert_pools_honoured(res)
    return res, fig


def test_latency_idle_baseline(cloison):
    """Alone on the machine: it loses (almost) nothing of the time its thread ran."""
    _, fig = measure([latency_dom()], "busiest")
    print(f"\nidle: {fig.summary()}")
    assert fig.hv_share <= IDLE_MARGIN, fig.summary()


def test_latency_beside_spinner_shares_fairly(cloison):
    """Beside a 3-vCPU spinner on the same two pCPUs: it gets its fair share (half),
    and no less. The figure of today's round-robin is the problem pools solve."""
    _, fig = measure([latency_dom(), spinner()], [0, 1], ready=SPIN_READY)
    print(f"\nbeside spinner (shared pCPUs): {fig.summary()}")
    assert abs(fig.hv_share - FAIR_SHARE) <= FAIR_TOL, fig.summary()


def test_latency_null_pool_beside_spinners(cloison):
    """In a null pool of its own (pCPU 1) beside a 3-vCPU spinner in Pool-0 (pCPU 0):
    no more lost than alone in that pool, within POOL_MARGIN."""
    edit_alone = sm.pools_edit(POOLS, {0: "rt"})
    _, idle = measure([latency_dom()], [1], dts_edit=edit_alone)
    edit = sm.pools_edit(POOLS, {0: "rt", 1: "pool0"})
    _, fig = measure([latency_dom(), spinner()], [1], dts_edit=edit, ready=SPIN_READY)
    print(f"\nnull pool, alone: {idle.summary()}\nnull pool, spinners in Pool-0: "
          f"{fig.summary()}")
    assert fig.hv_share <= idle.hv_share + POOL_MARGIN, (idle.summary(), fig.summary())


def test_latency_timer_null_pool_beside_spinners(cloison):
    """The timer variant (1 ms deadlines, WFI between) in the null pool beside the
    spinners: it runs to the end in its own pool and its lateness is recorded. Not
    judged on a margin: a vCPU that waits in WFI lets its thread sleep, so the host's
    part of its lateness cannot be taken out (the poll-mode test above is the
    verdict)."""
    dom = qemu.Domain("latency", bootargs=f"ms={MEASURE_MS} timer=1 period_us=1000 "
                      "margin_us=1000")
    edit = sm.pools_edit(POOLS, {0: "rt", 1: "pool0"})
    res = qemu.run([dom, spinner()], "cloison", qemu.Machine(gic=3, smp=2), timeout=300,
                   until=qemu.verdicts_for(["latency"]), linger=0.3, dts_edit=edit)
    final = [v for v in res.final() if v.case == "latency"]
    assert final and final[0].status == "PASS", res.describe()
    assert_pools_honoured(res)
    print(f"\ntimer, null pool beside spinners: {final[0].rest}")
    assert int(final[0].kv["deadlines"]) > 0, final[0].rest


def speedometer_misses(res, sampler, cpus):
    """Per-second lines of the speedometer: (lines, unexplained misses). A second's
    misses are explained when the host kept its thread off for at least the worst
    lateness of that second (and the one before: a late deadline may straddle)."""
    offset = sm.clock_offset(res)
    lines = [v for v in res.verdicts if v.case == "speedometer" and v.status == "RUN"
             and "sec" in v.kv]
    bad = []
    # The first second is the guest's start: its window reaches back before the
    # guest ran (and before the sampler's first sample), into the hypervisor's
    # build of the domains; it is left out here as from the lost time below.
    for v in lines[1:]:
        missed = int(v.kv["missed"])
        if not missed:
            continue
        end_us = int(v.kv["end_us"])
        try:
            fig = sm.judge(sampler, offset, end_us, 2_000_000, 0, cpus)
        except ValueError:
            bad.append(f"{v.rest} (no host samples)")
            continue
        if fig.host_off_us < int(v.kv["worst_late_us"]) - SPEEDO_MARGIN_US:
            bad.append(f"{v.rest} host_off_us={fig.host_off_us:.0f}")
    return lines, bad


@pytest.mark.guest_panics
def test_speedometer_null_pool_beside_crashing_infotainment(cloison):
    """The speedometer in the null pool (pCPU 1) keeps its deadlines while a 2-vCPU
    Linux in Pool-0 panics and is restarted, RESTARTS times: no missed deadline the
    host does not explain, and its lost time within POOL_MARGIN of the idle figure."""
    speedo = qemu.Domain("speedometer", bootargs=f"period_ms={SPEEDO_PERIOD_MS} "
                         f"margin_us={SPEEDO_MARGIN_US}")
    edit = sm.pools_edit(POOLS, {0: "rt", 1: "pool0"})
    up = r"CLOISON-LINUX-UP nproc=\d+ cpus=\S+ name=infotainment"
    with qemu.Console([speedo, infotainment()], "cloison", qemu.Machine(gic=3, smp=2),
                      dts_edit=edit, extra_args=sm.QEMU_ARGS) as con:
        with sm.Sampler(con.proc.pid, con.start, 2) as sampler:
            con.expect(r"TEST speedometer RUN sec=1 ", timeout=120, since=0)
            assert_pools_honoured(con.res)   # before minutes of Linux boots
            for _ in range(RESTARTS + 1):
                con.expect(up, timeout=LINUX_TIMEOUT)
                con.expect(r"CLOISON-LINUX-CRASHING", timeout=120)
            # One more second of figures after the last crash.
            con.expect(r"TEST speedometer RUN sec=\d+ [^\n]*\n", timeout=30)
    res = con.res
    assert_pools_honoured(res)
    lines, bad = speedometer_misses(res, sampler, [1])
    assert len(lines) >= 3, res.describe()
    # The whole window, from the first line's end to the last's.
    start_us, end_us = int(lines[0].kv["end_us"]), int(lines[-1].kv["end_us"])
    lost = sum(int(v.kv["lost_us"]) for v in lines[1:])
    fig = sm.judge(sampler, sm.clock_offset(res), end_us, end_us - start_us, lost, [1])
    missed = sum(int(v.kv["missed"]) for v in lines)
    print(f"\nspeedometer beside crashing infotainment ({len(lines)} s, "
          f"{len(re.findall('CLOISON-LINUX-CRASHING', res.output))} crashes): "
          f"missed={missed} unexplained={len(bad)} {fig.summary()}")
    assert not bad, "deadlines missed while the host ran the thread:\n" + "\n".join(bad)
    assert fig.hv_share <= IDLE_MARGIN + POOL_MARGIN, fig.summary()

"""A crashed domain's restart runs in bounded steps on its own pool's pCPUs
(docs/DESIGN.md §7, "Restarts in bounded steps").

A 2-vCPU Debian Linux ("infotainment") panics PANIC_AFTER_S seconds after its
userspace is up (panic=1 resets it) and is restarted by the hypervisor, RESTARTS
times, beside the speedometer guest (10 ms deadlines). Two machines:
  - one pCPU shared by both, QEMU with -icount shift=0: EL2 stretches are
    counted in instructions (1 ns each), independent of the host's load, as in
    test_el2_stretch.py; the longest stretch of class "reap" (Cloison's 's'
    key) must be within STRETCH_BOUND_INSNS, the bound every other class keeps
    (done in one go, main's restart of this domain took 121.5 M instructions);
  - two pCPUs, the speedometer alone in a null pool on pCPU 1, Linux in
    Pool-0 on pCPU 0 (no -icount: with it -smp 2 does not get past the second
    pCPU's bring-up): no step of the restart may run on pCPU 1.
Both: each restart is done, in many steps (the reaper's summary line names the
pCPUs that took one); memory comes back exactly (each destroy of the Linux
domain leaves the same free memory and heap); the speedometer keeps reporting.
Figures (bench/reap_stall.py prints them with the speedometer's lateness) are
printed, not judged.
"""

import re

import pytest

import qemu
import schedmeasure as sm

PANIC_AFTER_S = 3
RESTARTS = 2
STRETCH_BOUND_INSNS = 1_000_000
LINUX_TIMEOUT = 1200
POOLS = [sm.Pool("pool0", [0], "credit2"), sm.Pool("rt", [1], "null")]
UP = r"CLOISON-LINUX-UP nproc=\d+ cpus=\S+ name=infotainment"
RESTART_RE = re.compile(r"d(\d+): restart (done|failed) in (\d+) steps, (\d+) us, "
                        r"longest step (\d+) us, on pCPUs 0x([0-9a-f]+)")
DESTROYED_RE = re.compile(r"d(\d+): destroyed, (\d+) KiB free, heap (\d+) B")
STRETCH_RE = re.compile(r"el2-stretch class class=reap max_ns=\d+ max_ticks=(\d+) "
                        r"count=(\d+) cpu=(\d+)")
FREQ_RE = re.compile(r"timer (\d+) Hz")


def crash_loop(pools):
    """Boot, let Linux crash and be restarted RESTARTS times, read the 's' key.
    Returns (result, output offset of the key's answer)."""
    speedo = qemu.Domain("speedometer", bootargs="period_ms=10 margin_us=2000")
    boot = (f"{qemu.LINUX_BOOTARGS} cloison_name=infotainment "
            f"cloison.panic_after={PANIC_AFTER_S} panic=1")
    linux = qemu.LinuxDomain(cpus=2, bootargs=boot, on_reboot="restart", on_crash="restart")
    if pools:
        machine = qemu.Machine(gic=3, smp=2)
        edit = sm.pools_edit(POOLS, {0: "rt", 1: "pool0"})
    else:
        machine, edit = qemu.Machine(gic=3, smp=1, icount_shift=0), None
    with qemu.Console([speedo, linux], "cloison", machine, dts_edit=edit,
                      bootargs=qemu.CLOISON_BOOTARGS + " conswitch=ax") as con:
        try:
            con.expect(r"TEST speedometer RUN sec=1 ", timeout=300, since=0)
            for _ in range(RESTARTS):
                con.expect(UP, timeout=LINUX_TIMEOUT)
                con.expect(r"CLOISON-LINUX-CRASHING", timeout=300)
                con.expect(RESTART_RE, timeout=300)
            con.expect(r"TEST speedometer RUN sec=\d+ [^\n]*\n", timeout=300)
            mark = len(con.res.output)
            con.write(b"s")
            con.expect(r"el2-stretch end classes=\d+", timeout=300, since=mark)
        except qemu.Expired:
            # Every line but the speedometer's, which would bury the others.
            print("\n".join(line for line in con.res.output.splitlines()
                            if "TEST speedometer RUN" not in line))
            raise
    return con.res, mark


def check_restarts(res, cpus_mask):
    out = res.output
    restarts = list(RESTART_RE.finditer(out))
    assert len(restarts) >= RESTARTS, res.describe()
    for m in restarts:
        print(f"\nrestart of d{m.group(1)}: {m.group(3)} steps, {m.group(4)} us, "
              f"longest step {m.group(5)} us, pCPUs 0x{m.group(6)}")
        assert m.group(2) == "done", m.group(0)
        assert int(m.group(3)) > 10, m.group(0)   # stepped, not in one go
        if cpus_mask is not None:
            assert int(m.group(6), 16) & ~cpus_mask == 0, m.group(0)
    frees = [(int(m.group(2)), int(m.group(3))) for m in DESTROYED_RE.finditer(out)]
    assert len(frees) >= RESTARTS and len(set(frees)) == 1, frees
    secs = [v for v in res.verdicts if v.case == "speedometer" and v.status == "RUN"
            and "sec" in v.kv]
    assert len(secs) >= 3, res.describe()
    print(f"speedometer: {len(secs)} s, worst lateness "
          f"{max(int(v.kv['worst_late_us']) for v in secs[1:])} us, missed "
          f"{sum(int(v.kv['missed']) for v in secs[1:])}")


def reap_stretch(res, mark):
    st = STRETCH_RE.search(res.output, mark)
    assert st, res.describe()
    freq = int(FREQ_RE.search(res.output).group(1))
    return int(st.group(1)) * 10**9 // freq, int(st.group(2)), int(st.group(3))


@pytest.mark.guest_panics
def test_restart_steps_are_bounded(cloison):
    res, mark = crash_loop(pools=False)
    check_restarts(res, None)
    insns, steps, _ = reap_stretch(res, mark)
    print(f"longest reap stretch: {insns} instructions ({steps} steps)")
    assert insns <= STRETCH_BOUND_INSNS, (insns, steps)


@pytest.mark.guest_panics
def test_restart_steps_stay_in_their_pool(cloison):
    res, mark = crash_loop(pools=True)
    check_restarts(res, 0x1)   # Pool-0's pCPU only
    ns, steps, cpu = reap_stretch(res, mark)
    print(f"longest reap stretch: {ns} ns of host time ({steps} steps) on pCPU {cpu}")
    assert cpu == 0, cpu

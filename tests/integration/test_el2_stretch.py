"""Every stretch Cloison spends in EL2 is bounded, whatever a guest does.

Each EL2-hold guest (tests/guests/cases/hold_*.c) hammers one hypervisor path
that used to hold its pCPU for as long as the guest liked, beside `witness`,
which reads the virtual counter in a tight loop and reports the longest time
it did not run. They share one pCPU (-smp 1), so every stretch the attacker
makes Cloison spend with interrupts masked is time the witness waits.

QEMU runs with -icount shift=0: the counter advances 1 ns per instruction
executed, so the figures are instructions (a tick of QEMU virt's 62.5 MHz
counter is 16) and do not depend on how busy the host is. "1 ms" below is a
million instructions: 1 ms on a core retiring one instruction per ns.

Two bounds, both checked:
  - STRETCH_BOUND: the longest EL2 stretch of every class (Cloison's 's'
    debug key, core/stretch.c) under the attack, reaping a dead domain
    excepted (bounded by the domain's size, not by what it asks). The
    longest bounded stretches by design are 1024 event channel ports per
    EVTCHNOP_reset call, 128 grant operations per grant_table_op call, and
    one PV console ring or 2 KiB of console_io per notification or call:
    each measures at most ~0.26 M instructions here; the bound leaves 4x.
  - the witness's worst gap: the attacker's vCPUs run round-robin with it,
    a 10 ms slice each (core/sched.h), and a slice can overrun by at most one
    stretch (the slice timer is taken when the stretch ends), so the witness
    waits at most n * (SLICE + STRETCH_BOUND) for the n attacker vCPUs, plus
    one more stretch of its own pCPU's (an interrupt it takes) and 1 ms of
    scheduling slack.

The same pairs run under Xen 4.17 for comparison (its witness figure is
reported, and the witness must finish); Xen has no such statistic.
"""

import re

import pytest

import qemu

SLICE_MS = 10
STRETCH_BOUND_INSNS = 1_000_000
SLACK_MS = 1
ICOUNT_SHIFT = 0
WITNESS_TIMEOUT = 600

# Attacker: its domain's properties. hold_evtreset gets the most ports a
# domain may have (FIFO goes to 2^17), hold_console a second vCPU.
HOLD = {
    "hold_console": dict(cpus=2, enhanced="no-xenstore"),
    "hold_gntflush": dict(enhanced="no-xenstore"),
    "hold_evtreset": dict(enhanced="no-xenstore", event_channels=131072),
    "hold_vuart": dict(),
}

FLOODERS = ("hold_console", "hold_vuart")

STRETCH_RE = re.compile(r"el2-stretch class class=(\S+) max_ns=\d+ max_ticks=(\d+) "
                        r"count=(\d+) cpu=\d+ dom=(\S+)")
FREQ_RE = re.compile(r"timer (\d+) Hz")


def run_pair(hv, case):
    """Boot the attacker and the witness on one pCPU; once the witness has
    reported, read Cloison's stretch statistic. Returns (result, {class:
    (instructions, count, dom)})."""
    doms = [qemu.Domain(case, **HOLD[case]), qemu.Domain("witness")]
    machine = qemu.Machine(gic=3, smp=1, icount_shift=ICOUNT_SHIFT)
    # conswitch=ax: Cloison keeps the console input, so its debug keys work.
    boot = qemu.CLOISON_BOOTARGS + " conswitch=ax" if hv == "cloison" else None
    stretches = {}
    with qemu.Console(doms, hv, machine, bootargs=boot) as con:
        con.expect(r"TEST witness (PASS|FAIL)[^\n]*\n", timeout=WITNESS_TIMEOUT)
        if hv == "cloison":
            mark = len(con.res.output)
            con.write(b"s")
            con.expect(r"el2-stretch end classes=\d+", timeout=120, since=mark)
            freq = int(FREQ_RE.search(con.res.output).group(1))
            ns_per_insn = 2 ** ICOUNT_SHIFT
            for m in STRETCH_RE.finditer(con.res.output, mark):
                insns = int(m.group(2)) * 10**9 // freq // ns_per_insn
                stretches[m.group(1)] = (insns, int(m.group(3)), m.group(4))
    return con.res, stretches


def witness_gap_us(res):
    final = [v for v in res.final() if v.case == "witness"]
    assert len(final) == 1 and final[0].status == "PASS", res.describe()
    return int(final[0].kv["worst_gap_us"])


def attack_started_first(res, case):
    """The attacker was attacking before the witness finished measuring."""
    lines = [line for _, line in res.lines]
    attack = next((i for i, l in enumerate(lines) if f"TEST {case} RUN attacking" in l), None)
    done = next(i for i, l in enumerate(lines) if "TEST witness PASS" in l)
    assert attack is not None and attack < done, res.describe()
    assert not [v for v in res.final() if v.case == case], (
        f"{case} stopped: {[v.line for v in res.final() if v.case == case]}")


@pytest.mark.parametrize("case", sorted(HOLD))
def test_hold_guest_cannot_stretch_el2(cloison, case):
    res, stretches = run_pair("cloison", case)
    attack_started_first(res, case)
    assert stretches, "no stretch statistic read\n" + res.describe()
    report = ", ".join(f"{c}={i}" for c, (i, _, _) in sorted(stretches.items()))
    n = HOLD[case].get("cpus", 1)
    bound_us = (n * (SLICE_MS * 1000 + STRETCH_BOUND_INSNS // 1000)
                + STRETCH_BOUND_INSNS // 1000 + SLACK_MS * 1000)
    gap = witness_gap_us(res)
    print(f"\n{case}: longest EL2 stretches (instructions): {report}")
    print(f"{case}: witness worst gap {gap} us (bound {bound_us} us)")
    over = {c: s for c, s in stretches.items() if c != "reap" and s[0] > STRETCH_BOUND_INSNS}
    assert not over, f"EL2 stretches over {STRETCH_BOUND_INSNS} instructions: {over}"
    assert gap <= bound_us, f"witness waited {gap} us > {bound_us} us\n" + res.describe()
    if case in FLOODERS:
        # Its flood met the rate limit (the UART's bandwidth), and said so.
        assert re.search(r"\(d1\) \[\d+ bytes dropped: rate limit\]", res.output), res.describe()


@pytest.mark.xen
@pytest.mark.parametrize("case", sorted(HOLD))
def test_hold_guest_on_xen(xen, case):
    """The same pair under Xen 4.17, for comparison: the witness finishes
    and its worst gap is reported (Xen's credit2 scheduler, its own slices)."""
    res, _ = run_pair("xen", case)
    attack_started_first(res, case)
    print(f"\n{case} on Xen 4.17: witness worst gap {witness_gap_us(res)} us")

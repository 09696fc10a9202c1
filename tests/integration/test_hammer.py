"""Hostile multi-vCPU guests that hammer the same objects at once (issue 9, tests).

The hammer guest (tests/guests/cases/hammer.c) runs 2-4 vCPUs that race each
other on the same event channels (alloc_unbound, loopback bind_interdomain,
bind_ipi, bind_vcpu, close, send, unmask, reset; FIFO init_control of any
vCPU, expand_array, set_priority with scribbled event words), the same grants
(entries rewritten while mapped, map/unmap/copy of its own grants into a
contested window), XENMEM_add_to_physmap/remove_from_physmap of grant frames
and shared_info into that same window, vcpu_op on each other's vCPUs, PSCI
CPU_ON of each other and CPU_OFF, timer and SGI traps; one vCPU (sometimes two)
shuts the domain down (reboot, PSCI SYSTEM_RESET or crash) after a random
0-100 ms, in the middle of the others' hypercalls and traps. on_reboot and
on_crash are "restart": the domain is rebuilt each time, with the next domain
id, until the boot whose id is `last`, which ends with PASS and a power-off
that destroys it.

Beside it: an idle domain that outlives the test (the machine keeps a running
domain while the hammer is rebuilt) and a CPU-bound worker, Xen-enhanced so
the hammer finds it and names it in its event channels and grants, which must
finish its work; its power-off preserves it, so its memory stays out of the
count below. A second test runs two hammers that find each other.

Asserted: no panic (conftest), RESTARTS restarts, the hammer's PASS on its last
boot and no FAIL, the worker's PASS, and memory after each of the hammer's
destroys, from the SETTLE-th on, exactly the same (every destroy prints the free
pages, the heap's live bytes and the pages it holds).
"""

import re

import pytest

import qemu

RESTARTS = 300
MAX_DELAY_US = 100000  # each boot hammers for a random 0-100 ms
# worker at 100 Hz: about as long as the restarts take (~35 s unloaded).
NEIGHBOUR_TICKS = 2000
SETTLE = 10  # destroys before the memory baseline (see test_hammer_restarts)

RESTART_RE = re.compile(r"\bd(\d+) \(domU[34]\): shut down: (\w+); restarting it")
DESTROYED_RE = re.compile(r"\bd(\d+): destroyed, (\d+) KiB free, heap (\d+) B in (\d+) pages")


def domains(cpus, restarts, hammers=1):
    """idle d1, worker d2, the hammers d3 (d4) at boot, then d5, d6, ...: every
    restart takes the next id, and a hammer's boot with id >= last is its last."""
    last = 3 + restarts
    return ([qemu.Domain("idle"),
             qemu.Domain("worker", enhanced=True, on_poweroff="preserve",
                         bootargs=f"ticks={NEIGHBOUR_TICKS}")]
            + [qemu.Domain("hammer", cpus=cpus, enhanced=True, on_reboot="restart",
                           on_crash="restart", bootargs=f"last={last} max_delay_us={MAX_DELAY_US}")
               for _ in range(hammers)])


def finished(hammers):
    def cond(res):
        done = [v.case for v in res.final()]
        return ((done.count("hammer") >= hammers and "worker" in done)
                or "panic" in res.output.lower())
    return cond


def hammer_destroys(res, last):
    """[(domid, (heap bytes in use, KiB free or held by the heap))] of the hammer
    domain's destroys, the final one included. The heap keeps a free slab per
    size class or so, which moves pages between "free" and "heap"; their sum and
    the live heap bytes must come back exactly."""
    return [(int(d), (int(b), int(kib) + 4 * int(pages)))
            for d, kib, b, pages in DESTROYED_RE.findall(res.output) if 3 <= int(d) <= last]


def check_run(res, hammers):
    n = len(RESTART_RE.findall(res.output))
    assert n >= RESTARTS - (hammers - 1), f"{n} restarts of {RESTARTS}\n" + res.describe()
    fails = [v.line for v in res.verdicts if v.status == "FAIL"]
    assert not fails, f"{fails}\n" + res.describe()
    ends = [v for v in res.final() if v.case == "hammer"]
    assert len(ends) == hammers and all(int(v.kv["domid"]) >= 3 + RESTARTS for v in ends), \
        res.describe()
    assert any(v.case == "worker" for v in res.final()), \
        "the neighbour did not finish\n" + res.describe()
    return ends


@pytest.mark.parametrize("gic,cpus", [(3, 4), (2, 3)])
def test_hammer_restarts(cloison, gic, cpus):
    res = qemu.run(domains(cpus, RESTARTS), "cloison", qemu.Machine(gic=gic, smp=2),
                   timeout=240, until=finished(1), linger=0.5)
    check_run(res, 1)
    destroys = hammer_destroys(res, 3 + RESTARTS)
    assert len(destroys) == RESTARTS + 1 and destroys[-1][0] == 3 + RESTARTS, \
        f"{len(destroys)} destroys\n" + res.describe()
    # The baseline is a few boots in: the worker's tables that the hammer is the
    # first to touch (its grants' active entries, made on first use and kept
    # while the worker lives) come into being during the first boot that gets
    # that far, and a hammer killed within a few ms of its start may not have.
    # From there on, every destroy must leave exactly the same.
    start = destroys[SETTLE][1]
    moved = [(d, m) for d, m in destroys[SETTLE:] if m != start]
    assert not moved, (f"(heap bytes, free+heap KiB) {start} after destroy {SETTLE + 1}, "
                       f"then {moved[:3]}\n" + res.describe())


def test_two_hammers(cloison):
    """Two 2-vCPU hammers that find each other and bind event channels to each
    other's ports, map and copy each other's grants, while both restart: the
    two-domain paths (interdomain bind and close, foreign grant map/unmap/copy)
    against a peer that is being destroyed. No memory figure here: there is no
    moment without a hammer before the end to compare with."""
    res = qemu.run(domains(2, RESTARTS, hammers=2), "cloison", qemu.Machine(gic=3, smp=2),
                   timeout=240, until=finished(2), linger=0.5)
    check_run(res, 2)

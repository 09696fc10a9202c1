"""The null scheduler (sched=null, Xen's name): each vCPU owns a pCPU and runs
with no tick; a vCPU that finds no free pCPU waits, visibly, and gets the
first pCPU that frees."""

import re

import qemu
from conftest import assert_all_pass

NULL_ARGS = qemu.CLOISON_BOOTARGS + " sched=null conswitch=ax"


def test_null_pool_one_pcpu_each_no_tick_and_a_waiter(cloison):
    # Two pCPUs, three 1-vCPU domains: d1 works for 3 s, d2 spins for ever
    # with interrupts masked, d3 finds no free pCPU and waits until d1 is gone.
    doms = [qemu.Domain("worker", bootargs="ticks=300"), qemu.Domain("spin"),
            qemu.Domain("worker")]
    with qemu.Console(doms, machine=qemu.Machine(gic=3, smp=2), bootargs=NULL_ARGS) as con:
        con.expect(r"scheduler: null", timeout=30)
        con.expect(r"\(d2\) TEST spin RUN", timeout=30)
        mark = len(con.res.output)
        con.write(b"r")
        con.expect(r"Pool-0 \(null\): owners pCPU0=d1v0 pCPU1=d2v0; "
                   r"1 waiting for a pCPU: d3v0", timeout=10, since=mark)
        assert "TEST worker PASS" not in con.res.output, con.describe()
        # d1 leaves: its pCPU goes to the waiter, which runs to the end.
        con.expect(r"\(d1\) TEST worker PASS", timeout=60)
        con.expect(r"\(d3\) TEST worker PASS", timeout=60)
        con.expect(r"d3: destroyed", timeout=20)
        mark = len(con.res.output)
        con.write(b"r")
        con.expect(r"Pool-0 \(null\): owners pCPU1=d2v0; 0 waiting for a pCPU: none",
                   timeout=10, since=mark)
        # No tick on either pCPU the whole run: the policy set no deadline.
        for cpu, what in ((0, r"idle"), (1, r"running d2v0")):
            m = con.expect(rf"pCPU{cpu} \(Pool-0\): {what}, (\d+) slice ends", timeout=10,
                           since=mark)
            assert m.group(1) == "0", con.describe()
    res = con.res
    assert_all_pass(res, ["worker", "worker"])
    # d3 ran only after d1 had passed: it waited for the pCPU d1 held.
    order = [v.domid for v in res.final() if v.case == "worker"]
    assert order == [1, 3], order


def test_null_secondary_vcpu_gets_its_pcpu_when_started(cloison):
    # The smp guest starts vCPU 1 with PSCI CPU_ON: under null it takes the
    # free pCPU then (never before: an unstarted vCPU holds no pCPU).
    res = qemu.run([qemu.Domain("smp", cpus=2)], "cloison", qemu.Machine(gic=3, smp=2),
                   timeout=60, bootargs=NULL_ARGS, until=qemu.verdicts_for(["smp"]),
                   linger=0.5)
    assert_all_pass(res, ["smp"])

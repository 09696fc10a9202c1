"""A faulting or CPU-hogging guest must not disturb healthy ones."""

import re

import qemu
from conftest import assert_all_pass

GUEST_LINE = re.compile(r"\(d\d+\)|DOM\d+:|TEST ")


def hypervisor_lines(res):
    return [line for _, line in res.lines if not GUEST_LINE.search(line)]


def test_fault_beside_workers(cloison):
    # Domain ids follow /chosen order: d1 = fault, d2/d3 = workers.
    doms = [qemu.Domain("fault"), qemu.Domain("worker"), qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=4), timeout=60,
                   until=qemu.verdicts_for(["fault", "worker", "worker"]), linger=0.5)
    assert_all_pass(res, ["fault", "worker", "worker"])
    naming = re.compile(r"\b(?:d|dom|domain\s*)(\d+)(?:v\d+)?\b", re.I)
    abort = re.compile(r"abort|fault", re.I)
    logged = [line for line in hypervisor_lines(res)
              if abort.search(line) and any(m == "1" for m in naming.findall(line))]
    assert len(logged) == 1, f"expected one hypervisor line naming d1's fault: {logged}\n" \
        + res.describe()
    blamed_workers = [line for line in hypervisor_lines(res)
                      if abort.search(line) and set(naming.findall(line)) & {"2", "3"}]
    assert not blamed_workers, blamed_workers


def test_spin_beside_workers(cloison):
    # Three vCPUs on two pCPUs: the spinner never yields, the workers must still run.
    doms = [qemu.Domain("spin"), qemu.Domain("worker"), qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=2), timeout=90,
                   until=qemu.verdicts_for(["worker", "worker"]), linger=0.5)
    assert any(v.case == "spin" and v.status == "RUN" for v in res.verdicts), res.describe()
    assert_all_pass(res, ["worker", "worker"])


def test_crash_beside_worker(cloison):
    # d1 faults with no usable vector table: it cannot go on, so it is crashed
    # (one line naming it, the reason and the address) and freed; d2 finishes.
    doms = [qemu.Domain("crash"), qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=2), timeout=60,
                   until=qemu.verdicts_for(["worker"]), linger=0.5)
    assert_all_pass(res, ["worker"])
    assert not any(v.case == "crash" and v.status != "RUN" for v in res.verdicts), res.describe()
    crashed = [line for line in hypervisor_lines(res)
               if re.search(r"\bd1\b.*crashed: .*0x800000200", line)]
    assert len(crashed) == 1, res.describe()
    assert any(re.search(r"\bd1: destroyed", line) for line in hypervisor_lines(res)), \
        res.describe()

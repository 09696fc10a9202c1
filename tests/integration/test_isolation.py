"""A faulting or CPU-hogging guest must not disturb healthy ones."""

import re

import pytest

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


def assert_hypervisor_sound(res):
    """Cloison powered off by itself and never reported a failure of its own."""
    assert res.exited and res.returncode == 0, res.describe()
    assert not [l for l in hypervisor_lines(res) if re.search(r"panic|BUG|assert", l)], \
        res.describe()


def last_free_kib(res):
    free = re.findall(r"destroyed, (\d+) KiB free", res.output)
    assert free, "no domain was destroyed\n" + res.describe()
    return int(free[-1])


def kib_kept(res):
    """Free KiB before the boot domains were built minus free KiB once the
    last was destroyed: what the run kept (the heap's cached slabs, and
    anything leaked). The boot modules are reserved before the first
    figure, so images of different sizes compare fairly (hcall_fuzz.img is
    a page larger than hello.img)."""
    start = re.search(r"boot domains: (\d+) KiB free", res.output)
    assert start, "no free-memory figure before the build\n" + res.describe()
    return int(start.group(1)) - last_free_kib(res)


def test_hypercall_fuzzer_harms_nobody(cloison):
    """40,000 random hypercalls (hcall_fuzz: random commands, argument
    structures full of random bytes, bad pointers, huge counts) beside a
    worker on two pCPUs: the worker passes, the hypervisor stays up and powers
    off by itself, and once both domains are gone exactly as much memory is
    back as after a benign pair of the same sizes (nothing leaked)."""
    pair = ["hcall_fuzz", "worker"]
    doms = [qemu.Domain(c, enhanced="no-xenstore") for c in pair]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=2), timeout=240)
    assert_all_pass(res, pair)
    assert_hypervisor_sound(res)
    calm = qemu.run([qemu.Domain(c, enhanced="no-xenstore") for c in ("hello", "worker")],
                    "cloison", qemu.Machine(gic=3, smp=2), timeout=120)
    assert_all_pass(calm, ["hello", "worker"])
    assert kib_kept(res) == kib_kept(calm), (
        f"{kib_kept(res) - kib_kept(calm)} KiB missing after the fuzzer\n"
        + res.describe())


@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_trap_fuzzer_harms_nobody(cloison, gic):
    """trap_fuzz (2 vCPUs): 20,000 random MMIO accesses to the emulated GIC,
    vPL011 and IPA holes (all widths, pairs without a syndrome) and 20,000
    MRS/MSR with random encodings (ICC_* SGIs included) beside a worker: the
    worker passes and Cloison stays up until it powers off by itself."""
    pair = ["trap_fuzz", "worker"]
    doms = [qemu.Domain("trap_fuzz", cpus=2), qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=gic, smp=2), timeout=240)
    assert_all_pass(res, pair)
    assert_hypervisor_sound(res)

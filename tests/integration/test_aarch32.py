"""32-bit (AArch32) guests: the A32 and T32 builds of tests/guests/aarch32 (zImages, so
the domain is made AArch32 by its kernel) under Cloison, beside 64-bit guests, and the
same images under Xen 4.17 for parity."""

import pytest

import qemu
from conftest import assert_all_pass

CASES = ["hello", "hcall", "timer", "sysregs", "fault", "smp"]
ALL = [f"{isa}_{c}" for isa in ("a32", "t32") for c in CASES]


def _domains(cases, smp_cpus=2):
    return [qemu.Domain(c, cpus=smp_cpus if c.endswith("_smp") else 1) for c in cases]


def _run(cases, hv, machine, timeout=90, smp_cpus=2):
    return qemu.run(_domains(cases, smp_cpus), hv, machine, timeout,
                    until=qemu.verdicts_for(cases), linger=0.3)


@pytest.mark.parametrize("machine", [
    pytest.param(qemu.Machine(gic=3, cpu="cortex-a57"), id="gicv3-a57"),
    pytest.param(qemu.Machine(gic=2, cpu="cortex-a57"), id="gicv2-a57"),
])
def test_aarch32_guests(cloison, machine):
    res = _run(ALL, "cloison", machine)
    assert_all_pass(res, ALL)
    for v in res.final():
        if v.case.endswith("_hello"):  # MMIO from FIQ mode's banked registers
            assert v.kv.get("fiq_mmio") == "ok", v.line
        if v.case.endswith("_sysregs"):  # no Virtualization extensions without Hyp mode
            assert v.kv.get("virt") == "0", v.line


def test_aarch32_smp_four_vcpus(cloison):
    res = _run(["a32_smp", "t32_smp"], "cloison", qemu.Machine(gic=3, smp=4), smp_cpus=4)
    assert_all_pass(res, ["a32_smp", "t32_smp"])
    for v in res.final():
        assert v.kv.get("cpus") == "4", v.line


def test_aarch32_beside_aarch64(cloison):
    """32- and 64-bit domains on the same pCPUs: HCR_EL2.RW and the AArch32 registers
    follow each vCPU through the context switches."""
    cases = ["a32_hcall", "hcall_null", "t32_timer", "timer", "a32_smp", "smp"]
    res = qemu.run([qemu.Domain(c, cpus=2 if c.endswith("smp") else 1) for c in cases],
                   "cloison", qemu.Machine(gic=3, smp=2), 120,
                   until=qemu.verdicts_for(cases), linger=0.3)
    assert_all_pass(res, cases)


def test_aarch32_hypercall_reports_xen_version(cloison):
    res = _run(["a32_hcall", "t32_hcall"], "cloison", qemu.Machine(gic=3))
    assert_all_pass(res, ["a32_hcall", "t32_hcall"])
    for v in res.final():
        assert v.kv.get("version") == "4.17", v.line


def test_aarch32_refused_without_el1_aarch32(cloison):
    """-cpu max in this QEMU has no AArch32 at EL1 (ID_AA64PFR0_EL1.EL1 = 1): the
    domain is refused with a message and the 64-bit one beside it still runs."""
    res = qemu.run([qemu.Domain("a32_hello"), qemu.Domain("hello")], "cloison",
                   qemu.Machine(gic=3, cpu="max"), 40, until=qemu.verdicts_for(["hello"]),
                   linger=0.3)
    if "no AArch32 at EL1" not in res.output:
        pytest.skip("this QEMU's -cpu max has AArch32 at EL1")
    assert_all_pass(res, ["hello"])


@pytest.mark.parametrize("case", ["hello", "hcall", "timer", "sysregs", "smp"])
def test_aarch32_parity_xen(xen, case):
    """The same zImages under Xen 4.17 (the reference)."""
    cases = [f"a32_{case}", f"t32_{case}"]
    res = _run(cases, "xen", qemu.Machine(gic=3))
    assert_all_pass(res, cases)

"""Single-guest cases under Cloison: GICv3 and GICv2 hosts, cortex-a57 and max CPUs."""

import pytest

import qemu
from conftest import assert_all_pass

MACHINES = [
    pytest.param(qemu.Machine(gic=3, cpu="cortex-a57"), id="gicv3-a57"),
    pytest.param(qemu.Machine(gic=2, cpu="cortex-a57"), id="gicv2-a57"),
    pytest.param(qemu.Machine(gic=3, cpu="max"), id="gicv3-max"),
    pytest.param(qemu.Machine(gic=2, cpu="max"), id="gicv2-max"),
]


@pytest.mark.parametrize("machine", MACHINES)
@pytest.mark.parametrize("case", ["hello", "hcall_null", "timer", "smp"])
def test_case(cloison, machine, case):
    res = qemu.run_cases([case], "cloison", machine, timeout=40)
    assert_all_pass(res, [case])


@pytest.mark.parametrize("case", ["fault", "undef", "hostile"])
def test_trap_cases(cloison, case):
    res = qemu.run_cases([case], "cloison", qemu.Machine(gic=3), timeout=40)
    assert_all_pass(res, [case])


def test_hcall_null_reports_xen_version(cloison):
    res = qemu.run_cases(["hcall_null"], "cloison", timeout=40)
    assert_all_pass(res, ["hcall_null"])
    v = [v for v in res.final() if v.case == "hcall_null"][0]
    assert v.kv.get("calls") == "100000"
    assert v.kv.get("version") == "4.17", v.line

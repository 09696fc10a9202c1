"""Trapped system registers under Cloison: the sanitised ID registers (idregs) and the
emulated EL1 physical timer (ptimer), on cortex-a57 and max CPUs, GICv3 and GICv2 hosts.

-cpu max (QEMU 7.2) has SVE, SME, PAuth, RAS, HCX...: idregs checks inside the guest
that what Cloison does not virtualise is hidden and that PAuth, which it passes
through, really works; here we also check the host line that says what was hidden,
so a CPU model that stops offering those features is noticed instead of passing
vacuously.
"""

import re

import pytest

import qemu
from conftest import assert_all_pass

MACHINES = [
    pytest.param(qemu.Machine(gic=3, cpu="cortex-a57"), id="gicv3-a57"),
    pytest.param(qemu.Machine(gic=2, cpu="cortex-a57"), id="gicv2-a57"),
    pytest.param(qemu.Machine(gic=3, cpu="max"), id="gicv3-max"),
    pytest.param(qemu.Machine(gic=2, cpu="max"), id="gicv2-max"),
]
CASES = ["idregs", "ptimer"]


def verdict(res, case):
    return [v for v in res.final() if v.case == case][0]


@pytest.mark.parametrize("machine", MACHINES)
def test_sysreg_cases(cloison, machine):
    res = qemu.run_cases(CASES, "cloison", machine, timeout=60)
    assert_all_pass(res, CASES)
    ids = verdict(res, "idregs").kv
    # Hidden by Cloison beyond what the guest itself insists on (Xen 4.17 shows them).
    assert (ids.get("sme"), ids.get("smfr0"), ids.get("el2"), ids.get("pmu")) == \
        ("0", "0", "0", "0"), res.describe()
    # PAuth is passed through with per-vCPU keys where the CPU has it.
    assert ids.get("pauth") == ("1" if machine.cpu == "max" else "0"), res.describe()
    assert verdict(res, "ptimer").kv.get("ticks") == "100"


def test_max_has_what_is_hidden(cloison):
    """The host CPU really has SVE and SME, so idregs' sve=0/sme=0 means hidden."""
    res = qemu.run_cases(["idregs"], "cloison", qemu.Machine(gic=3, cpu="max"), timeout=60)
    assert_all_pass(res, ["idregs"])
    m = re.search(r"cpu: guests get PAuth \(keys switched\); hidden from them: SVE (\d+), "
                  r"SME (\d+)", res.output)
    assert m and m.group(1) != "0" and m.group(2) != "0", res.describe()


def test_ptimer_and_vtimer_together(cloison):
    """Both timers of two domains sharing one pCPU: the physical timer's software
    timer must fire for a vCPU that is not running (and wake it from WFI)."""
    res = qemu.run_cases(["ptimer", "timer"], "cloison", qemu.Machine(gic=3, smp=1),
                         timeout=60)
    assert_all_pass(res, ["ptimer", "timer"])

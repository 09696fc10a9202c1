"""Single-guest cases under Cloison: GICv3 and GICv2 hosts, cortex-a57 and max CPUs."""

import time

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


@pytest.mark.parametrize("vwfi", ["trap", "native"])
def test_vwfi_option(cloison, vwfi):
    """vwfi= (Xen's option): by default a vCPU waiting in WFI is blocked and
    gives its pCPU up; with vwfi=native the WFI runs in the guest, which keeps
    its pCPU. foreign_target waits in WFI (timer armed far ahead): Cloison's
    'q' key shows that vCPU blocked, or not. Guests pass either way."""
    doms = [qemu.Domain("foreign_target"), qemu.Domain("timer"), qemu.Domain("smp", cpus=2)]
    with qemu.Console(doms, machine=qemu.Machine(gic=3, smp=4),
                      bootargs=f"{qemu.CLOISON_BOOTARGS} vwfi={vwfi}") as con:
        con.expect(r"\(d1\) TEST foreign_target RUN gfn=", timeout=30)
        for case in ("timer", "smp"):
            con.expect(rf"TEST {case} (PASS|FAIL)", timeout=60, since=0)
        # Switch only once both are gone: a dying domain's input focus moves on
        # by itself, and that move must not race our Ctrl-a x3.
        for domid in (2, 3):
            con.expect(rf"d{domid}: destroyed", timeout=60, since=0)
        con.focus(None)
        # Three looks, a second apart: on a loaded host a wake-up (its timer, the
        # key's own kick) can be caught between WFI and the next block.
        states = []
        for _ in range(3):
            states.append(con.ask("q", r"d1v0: (\w+) on pCPU\d+").group(1))
            if vwfi == "trap" and states[-1] == "blocked":
                break
            time.sleep(1)
    assert_all_pass(con.res, ["timer", "smp"])
    # Trap: seen blocked in WFI. Native: never blocked; on its pCPU ("running"), or
    # "runnable" when the key is handled on that pCPU.
    if vwfi == "trap":
        assert "blocked" in states, f"{states}\n" + con.describe()
    else:
        assert set(states) <= {"running", "runnable"}, f"{states}\n" + con.describe()

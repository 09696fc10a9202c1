"""PSCI CPU_ON / CPU_OFF races (issue 9, finding 5).

psci_race: 4 vCPUs on 2 pCPUs CPU_ON each other while the targets CPU_OFF
themselves, for 2 s: a CPU_ON often lands while its target is still switching
out of its CPU_OFF on the other pCPU, and two vCPUs often CPU_ON one target at
once. Every result must be SUCCESS, ALREADY_ON or ON_PENDING, exactly one
CPU_ON succeeds per start, and a started vCPU begins in its reset state (MMU
off, its own context id). Beside it, a worker must finish its work.
"""

import pytest

import qemu
from conftest import assert_all_pass


@pytest.mark.parametrize("gic", [3, 2])
def test_cpu_on_off_races(cloison, gic):
    doms = [qemu.Domain("psci_race", cpus=4), qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=gic, smp=2), timeout=120,
                   until=qemu.verdicts_for(["psci_race", "worker"]), linger=0.3)
    assert_all_pass(res, ["psci_race", "worker"])
    v = [v for v in res.final() if v.case == "psci_race"][0]
    assert int(v.kv["starts"]) >= 50, v.line

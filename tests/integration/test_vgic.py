"""vGIC under load (vgic_stress) and the kvm-unit-tests-style micro-benchmarks (microbench).

vgic_stress runs on 4 vCPUs, on a 4-pCPU host (one vCPU per pCPU) and on a 2-pCPU
host (vCPUs share pCPUs, so IPIs also cross context switches), with GICv3 and GICv2.
The guest checks exactly-once delivery, priority order and SPI routing itself; here we
also check the counts it reports, so a guest that silently did less work fails.
"""

import pytest

import qemu
from conftest import assert_all_pass

STRESS_IPIS = 4 * 3 * 3 * 50  # vCPUs x other vCPUs x SGIs per sender x STORM_N


def _run(case, gic, smp, cpus, timeout):
    dom = qemu.Domain(case, cpus=cpus)
    return qemu.run([dom], "cloison", qemu.Machine(gic=gic, smp=smp), timeout=timeout,
                    until=qemu.verdicts_for([case]), linger=0.3)


@pytest.mark.parametrize("smp", [4, 2], ids=["4pcpu", "2pcpu"])
@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_vgic_stress(cloison, gic, smp):
    res = _run("vgic_stress", gic, smp, 4, timeout=400)
    assert_all_pass(res, ["vgic_stress"])
    v = [v for v in res.final() if v.case == "vgic_stress"][0]
    assert v.kv["storm_ipis"] == str(STRESS_IPIS), v.line
    assert v.kv["backlog"] == "12", v.line
    # GICv2 keeps one pending SGI per sender; GICv3 coalesces them.
    assert v.kv["multi_sgi"] == ("4" if gic == 2 else "1"), v.line
    assert v.kv["routed"] == "32", v.line
    assert v.kv["gic"] == f"v{gic}", v.line


@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_microbench(cloison, gic):
    res = _run("microbench", gic, 2, 2, timeout=120)
    assert_all_pass(res, ["microbench"])
    v = [v for v in res.final() if v.case == "microbench"][0]
    for key in ("hvc", "mmio_read_vgic", "eoi", "ipi", "ipi_self"):
        milli = int(v.kv[f"{key}_milli"])
        # Sane: every op costs something, and none a whole second of counter time.
        assert 0 < milli < 1000 * int(v.kv["cntfrq"]), v.line
    # A trap costs more than an EOI the virtual CPU interface handles alone.
    assert int(v.kv["eoi_milli"]) < int(v.kv["mmio_read_vgic_milli"]), v.line

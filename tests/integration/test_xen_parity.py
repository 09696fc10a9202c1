"""The same DTB and guests under Xen 4.17 and Cloison must give the same verdicts.

Xen comes from scripts/fetch-xen.sh; without it these tests fail (never skip).
Keys that measure time differ between runs and are left out of the comparison.
"""

import pytest

import qemu
from conftest import assert_all_pass

pytestmark = pytest.mark.xen

# Two boots per hypervisor: the timing-sensitive cases apart from the CPU-bound
# ones, since QEMU's counter follows the (possibly two-core) host's clock.
GROUPS = {"quiet": ["hello", "timer", "fault", "undef", "smp"],
          "busy": ["hcall_null", "hostile", "worker"]}
VOLATILE = {"ticks", "per_call_milli", "elapsed_ms", "worst_late_ms", "rounds"}
GICS = [pytest.param(3, id="gicv3"), pytest.param(2, id="gicv2")]


def boot_all(hv, gic, group):
    cases = GROUPS[group]
    doms = [qemu.Domain(c, cpus=2 if c == "smp" else 1) for c in cases]
    return qemu.run(doms, hv, qemu.Machine(gic=gic, cpu="cortex-a57", smp=4), timeout=120,
                    until=qemu.verdicts_for(cases), linger=0.5)


def normalised(res):
    out = set()
    for v in res.final():
        stable = tuple(sorted((k, val) for k, val in v.kv.items() if k not in VOLATILE))
        out.add((v.domid, v.case, v.status, stable))
    return out


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("gic", GICS)
def test_xen_baseline(xen, gic, group):
    """The guests themselves are right: every case passes under the real Xen 4.17."""
    assert_all_pass(boot_all("xen", gic, group), GROUPS[group])


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("gic", GICS)
def test_same_verdicts(xen, cloison, gic, group):
    x = boot_all("xen", gic, group)
    c = boot_all("cloison", gic, group)
    only_xen = normalised(x) - normalised(c)
    only_cloison = normalised(c) - normalised(x)
    assert not only_xen and not only_cloison, (
        f"only under Xen: {sorted(only_xen)}\nonly under Cloison: {sorted(only_cloison)}\n"
        f"--- xen ---\n{x.describe()}\n--- cloison ---\n{c.describe()}")

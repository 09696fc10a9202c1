"""Two domains copying into and mapping each other's grants from two vCPUs each.

gnttab_churn (tests/guests/cases/gnttab_churn.c): each domain copies from its
own page into the other's grant (each copy locks both grant tables, lower
domain id first: xen/grant_map.c) while its second vCPU maps and unmaps the
other's second grant. Both must pass, with copies and maps done, and no panic
(the conftest fails any run whose console shows one), on 2 and 4 pCPUs; the
first domain to finish dies while the other may still map its page (a zombie).
"""

import pytest

import qemu
from conftest import assert_all_pass

CASES = ["gnttab_churn", "gnttab_churn"]


@pytest.mark.parametrize("smp", [2, 4])
def test_cross_copy_and_map_race(cloison, smp):
    doms = [qemu.Domain("gnttab_churn", cpus=2, enhanced="no-xenstore") for _ in CASES]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=smp), timeout=300,
                   until=qemu.verdicts_for(CASES), linger=0.3)
    assert_all_pass(res, CASES)
    for v in res.final():
        assert int(v.kv["copies"]) > 0 and int(v.kv["maps"]) > 0, res.describe()

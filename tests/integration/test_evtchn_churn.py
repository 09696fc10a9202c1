"""Two domains churning the two ends of the same event channels from two vCPUs each.

evtchn_churn (tests/guests/cases/evtchn_churn.c): d1 offers ports to d2 and
closes random ones of its own while d2 binds to random ones of d1's and closes
random ones of its own, and each domain's second vCPU sends on random ports.
So each side's close of an interdomain channel races the other's (the higher
domain id's closer takes the lower one's lock first: xen/evtchn.c) and sends go
both ways meanwhile. Both must finish with every port closed, and no panic (the
conftest fails any run whose console shows one), on 2 and 4 pCPUs, so the two
domains' vCPUs run on different pCPUs.
"""

import pytest

import qemu
from conftest import assert_all_pass

CASES = ["evtchn_churn", "evtchn_churn"]


@pytest.mark.parametrize("smp", [2, 4])
def test_interdomain_bind_close_send_race(cloison, smp):
    doms = [qemu.Domain("evtchn_churn", cpus=2, enhanced="no-xenstore") for _ in CASES]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=smp), timeout=300,
                   until=qemu.verdicts_for(CASES), linger=0.3)
    assert_all_pass(res, CASES)
    roles = sorted(v.kv["role"] for v in res.final() if v.case == "evtchn_churn")
    assert roles == ["offer", "take"], res.describe()
    for v in res.final():
        assert int(v.kv["interdomain_closes"]) > 0, res.describe()

"""Eight guests on four pCPUs, all verifying their own results."""

import qemu
from conftest import assert_all_pass

# CPU-bound and trap-heavy guests together; no timing-accuracy case, since
# eight vCPUs share four pCPUs (and QEMU may share two host cores).
EIGHT = ["worker", "worker", "worker", "worker", "hello", "hcall_null", "undef", "hostile"]


def test_eight_guests_four_pcpus(cloison):
    doms = [qemu.Domain(c) for c in EIGHT]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=4), timeout=120,
                   until=qemu.verdicts_for(EIGHT), linger=0.5)
    assert_all_pass(res, EIGHT)
    # Each domain printed its own verdict: eight distinct domain ids.
    ids = {v.domid for v in res.final()}
    assert len(ids) == 8, f"verdicts came from domains {sorted(ids, key=str)}"

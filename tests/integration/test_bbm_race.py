"""Break-before-make on a live domain (issue 9, finding 4).

While one vCPU balloons a page out of each 2 MiB block of its RAM and back in
(the hypervisor splits the block's stage-2 entry: invalidate, flush the VMID's
TLB entries, write the table), the other vCPU writes and reads the rest of the
block without pause. Its accesses in the break window take stage-2
translation faults on an IPA that is mapped again a moment later; Cloison
must let the guest retry them, never inject an abort. Before the fix every
run injected an external abort into the sweeping vCPU within the first
round (esr 0x96000010 seen by the guest).
"""

import pytest

import qemu

GICS = [pytest.param(3, id="gicv3"), pytest.param(2, id="gicv2")]


@pytest.mark.parametrize("gic", GICS)
def test_access_during_block_split_is_retried(cloison, gic):
    # 128 MiB: 63 blocks above the image; rounds 2..4 only replace pages.
    dom = qemu.Domain("bbm_race", cpus=2, mem_kib=128 * 1024, bootargs="rounds=4",
                      enhanced="no-xenstore")
    res = qemu.run([dom], "cloison", qemu.Machine(gic=gic, smp=2), timeout=120,
                   until=qemu.verdicts_for(["bbm_race"]), linger=0.3)
    final = [v for v in res.final() if v.case == "bbm_race"]
    assert final and final[0].status == "PASS", res.describe()
    assert "blocks=252" in final[0].rest, res.describe()
    assert "abort injected" not in res.output, res.describe()

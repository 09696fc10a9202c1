"""A domain's RAM reaches it zeroed, whoever had the pages before.

Two ramzero guests (tests/guests/cases/ramzero.c) each check that every word of
their RAM outside their image and DTB is zero, fill it all with a pattern and
reset themselves; on_reboot = restart rebuilds them, on pages they or the other
one just dirtied. This is the end-to-end check of the restart's stepped scrub
(pages taken unzeroed, zeroed by the builder before the domain can run:
docs/DESIGN.md §7) and of bootscrub=false (only pages no one had since the host
booted are handed out unzeroed), with the default and with bootscrub=false;
and in each stage-2 layout (cloison/p2m.h, enum p2m_granule): the default on
QEMU's board (each 2 MiB block split into pages at first touch),
p2m_pages=false (blocks, as on hardware) and p2m_pages=true (4 KiB pages from
the start, every page of both domains walked through the lazy zeroing).
Also all vCPUs of one domain taking the first-touch fault of the same block at
once (split_race), in each layout.
"""
import re

import pytest

import qemu

BOOTS = 6  # checked boots per domain
RUN_RE = re.compile(r"TEST ramzero RUN zeroed: (\d+) KiB checked")


@pytest.mark.parametrize("scrub", ["default", "bootscrub=false", "p2m_pages=false",
                                   "p2m_pages=true"])
def test_restarted_domains_get_zeroed_ram(cloison, scrub):
    doms = [qemu.Domain("ramzero", mem_kib=8 * 1024, on_reboot="restart") for _ in range(2)]
    bootargs = qemu.CLOISON_BOOTARGS + ("" if scrub == "default" else f" {scrub}")

    def done(res):
        return (len(RUN_RE.findall(res.output)) >= 2 * BOOTS
                or any(v.status == "FAIL" for v in res.verdicts)
                or "panic" in res.output.lower())

    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=2), timeout=180,
                   bootargs=bootargs, until=done, linger=0.2)
    fails = [v.line for v in res.verdicts if v.status == "FAIL"]
    assert not fails, f"{fails}\n" + res.describe()
    checked = [int(k) for k in RUN_RE.findall(res.output)]
    assert len(checked) >= 2 * BOOTS, res.describe()
    # The whole 8 MiB was walked (the guest skips only its image and DTB).
    assert all(k == 8 * 1024 for k in checked), res.describe()
    restarts = re.findall(r"\bd\d+ \(domU\d+\): .*restarting it", res.output)
    assert len(restarts) >= 2 * BOOTS - 2, res.describe()


@pytest.mark.parametrize("layout", ["default", "p2m_pages=false", "p2m_pages=true"])
@pytest.mark.parametrize("vcpus", [2, 4])
def test_vcpus_racing_on_untouched_blocks(cloison, layout, vcpus):
    """All vCPUs of a domain (split_race) write into the same untouched 2 MiB block at
    once, block after block: each block is readied once under the p2m lock (zeroed, and
    split into pages at first touch on QEMU's board), no write lost, no abort, every other
    word zero; in each stage-2 layout, with 2 vCPUs on 2 pCPUs and 4 on 2."""
    bootargs = qemu.CLOISON_BOOTARGS + ("" if layout == "default" else f" {layout}")
    res = qemu.run([qemu.Domain("split_race", cpus=vcpus, mem_kib=32 * 1024)], "cloison",
                   qemu.Machine(gic=3, smp=2), timeout=120, bootargs=bootargs,
                   until=qemu.verdicts_for(["split_race"]), linger=0.2)
    v = [v for v in res.final() if v.case == "split_race"]
    assert v and v[0].status == "PASS", res.describe()
    assert int(v[0].kv["blocks"]) >= 12 and int(v[0].kv["vcpus"]) == vcpus, res.describe()
    assert "panic" not in res.output.lower(), res.describe()

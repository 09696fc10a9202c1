"""Boot configurations: pCPU counts, host RAM sizes, and bad boot descriptions."""

import re

import pytest

import qemu
from conftest import assert_all_pass


@pytest.mark.parametrize("smp", [1, 2, 4])
def test_pcpu_counts(cloison, smp):
    res = qemu.run_cases(["timer", "worker"], "cloison", qemu.Machine(gic=3, smp=smp),
                         timeout=60)
    assert_all_pass(res, ["timer", "worker"])
    banner = re.search(r"(\d+) CPUs, GICv3", res.output)
    assert banner and int(banner.group(1)) == smp, res.describe()


@pytest.mark.parametrize("mem_mib", [512, 8192])
def test_memory_sizes(cloison, mem_mib):
    res = qemu.run_cases(["hello"], "cloison", qemu.Machine(gic=3, smp=2, mem_mib=mem_mib),
                         timeout=60)
    assert_all_pass(res, ["hello"])
    banner = re.search(r"RAM (\d+) MiB", res.output)
    assert banner and int(banner.group(1)) == mem_mib, res.describe()
    assert res.exited, "Cloison should power off after the last domain"


def test_bad_domain_is_skipped(cloison):
    # domU1 asks for 64 KiB (below the 128 KiB minimum), domU2 is fine.
    doms = [qemu.Domain("hello", mem_kib=64), qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=2), timeout=60,
                   until=qemu.verdicts_for(["worker"]), linger=0.5)
    assert_all_pass(res, ["worker"])
    msg = [line for _, line in res.lines if "/chosen/domU1" in line and "'memory'" in line]
    assert msg, "no message naming the node and property:\n" + res.describe()
    assert not any(v.case == "hello" for v in res.verdicts), "the bad domain must not run"


def test_many_small_domains(cloison):
    # Domain ids, VMIDs and memory are recycled as domains come and go.
    cases = ["hello"] * 16
    res = qemu.run([qemu.Domain(c, mem_kib=4096) for c in cases], "cloison",
                   qemu.Machine(gic=3, smp=2), timeout=90,
                   until=qemu.verdicts_for(cases), linger=1.0)
    assert_all_pass(res, cases)
    assert res.exited, res.describe()


# QEMU's virt board ends its map at 1 TiB (the high PCIe window): 40 bits
# cover it and the guests' layout, a 3-level stage-2 walk wherever the CPU has
# more; ipa_bits= asks for more (the next size the CPU has), up to its PARange.
@pytest.mark.parametrize("cpu,bootargs,vmid,ipa", [
    ("cortex-a53", "", 8, 40),     # ID_AA64MMFR0.PARange 40 bits, 8-bit VMIDs
    ("cortex-a57", "", 8, 40),     # PARange 44 bits
    ("cortex-a57", " ipa_bits=41", 8, 44),  # 42 bits (an 8-page root) skipped
    ("max", "", 16, 40),           # PARange 52 bits
    ("max", " ipa_bits=48 vmid_bits=4", 4, 48),  # stage 2 stops at 48 (no LPA2)
    ("max", " ipa_bits=52", 16, 48),
])
def test_banner_vmid_width_and_ipa_size(cloison, cpu, bootargs, vmid, ipa):
    """The banner's VMID width and IPA size: what the CPU has (vmid_bits= caps it), and
    the smallest IPA size holding the board's map and the guests' layout (ipa_bits=
    asks for more); the guest runs in it."""
    res = qemu.run_cases(["hello"], "cloison", qemu.Machine(cpu=cpu, smp=2), timeout=60,
                         bootargs=qemu.CLOISON_BOOTARGS + bootargs)
    assert_all_pass(res, ["hello"])
    banner = re.search(r"VMID (\d+) bits, IPA (\d+) bits", res.output)
    assert banner, res.describe()
    assert (int(banner.group(1)), int(banner.group(2))) == (vmid, ipa), res.describe()

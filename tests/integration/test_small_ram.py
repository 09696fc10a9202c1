"""Domain RAM in 4 KiB multiples, and what a domain costs the hypervisor (issue 11).

Unikernel-sized boot domains (1 MiB, 1.5 MiB, 2 MiB + 4 KiB; one of them
Xen-enhanced) boot and run a test guest; once all are gone, exactly as much
memory is free as after the same guests in 4 MiB domains (every page of
RAM, chunk list, stage-2 table and part came back). The per-domain footprint
Cloison reports at creation stays within the issue's budget: 32 KiB for a
1-vCPU plain domain, 64 KiB for a Xen-enhanced one.
"""

import re

import qemu

MACHINE = qemu.Machine(gic=3, smp=2)
SMALL_KIB = (1024, 1536, 2052)
FOOTPRINT_RE = re.compile(r"footprint d(\d+): (-?\d+) B at creation:(.*) \.")


def free_after_all_gone(sizes):
    """Boot an idle domain beside `hello` domains of these sizes (the second
    Xen-enhanced); once the hello domains are destroyed, Cloison's free KiB.
    One kernel module for each image, so runs reserve the same modules."""
    doms = [qemu.Domain("idle", mem_kib=4096, share_modules=True)]
    doms += [qemu.Domain("hello", mem_kib=kib, share_modules=True,
                         enhanced="no-xenstore" if i == 1 else False)
             for i, kib in enumerate(sizes)]
    with qemu.Console(doms, machine=MACHINE,
                      bootargs=qemu.CLOISON_BOOTARGS + " conswitch=ax") as con:
        for _ in sizes:
            con.expect(r"d\d+: destroyed, \d+ KiB free", timeout=60)
        con.write(b"m")
        m = con.expect(r"memory: \d+ KiB total, (\d+) KiB free", timeout=30)
        res = con.res
    return int(m.group(1)), res


def test_small_domains_run_and_give_back_every_page(cloison):
    free, res = free_after_all_gone(SMALL_KIB)
    assert [v.status for v in res.verdicts if v.case == "hello"].count("PASS") == 3, \
        res.describe()
    built = re.findall(r"d\d+ \(domU\d+\): (\d+ [KM]iB) RAM", res.output)
    assert sorted(built) == sorted(["4 MiB", "1 MiB", "1536 KiB", "2052 KiB"]), res.describe()
    big_free, big = free_after_all_gone((4096,) * 3)
    assert [v.status for v in big.verdicts if v.case == "hello"].count("PASS") == 3, \
        big.describe()
    assert free == big_free, f"{big_free - free} KiB differ once all are gone\n" + res.describe()


def footprint(enhanced):
    doms = [qemu.Domain("foreign_target", mem_kib=4096, share_modules=True,
                        enhanced="no-xenstore" if enhanced else False)]
    with qemu.Console(doms, machine=MACHINE,
                      bootargs=qemu.CLOISON_BOOTARGS + " conswitch=ax") as con:
        con.expect(r"TEST foreign_target RUN gfn=", timeout=60)
        con.write(b"m")
        m = con.expect(FOOTPRINT_RE, timeout=30)
    return int(m.group(2)), m.group(0)


def test_footprint_within_budget(cloison):
    plain, line = footprint(False)
    assert 0 < plain <= 32 * 1024, line
    enhanced, line = footprint(True)
    assert plain < enhanced <= 64 * 1024, line

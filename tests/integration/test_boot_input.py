"""Boot input never panics or hangs Cloison (issue 9, finding 7).

A dom0less tree Xen 4.17 boots, Cloison boots; a tree it cannot use is refused
with a message naming the node and property, either for the whole machine
(then it powers off) or for one domain (skipped while the others boot). Each
bad tree below is a small variation of a good one: two domains, `hello` in
domU1 and `worker` in domU2 (the witness that must still pass).
"""

import re

import pytest

import qemu
from conftest import assert_all_pass

MACHINE = qemu.Machine(gic=3, smp=2, mem_mib=2048)


def in_domain(name, change):
    """A dts_edit applying change(block) -> block to /chosen/<name>'s block."""
    def edit(dts):
        start = dts.index(f"\t\t{name} {{\n")
        end = dts.index("\n\t\t};\n", start) + len("\n\t\t};\n")
        return dts[:start] + change(dts[start:end]) + dts[end:]
    return edit


def set_prop(prop, value):
    """Replace the first `prop = ...;` of a block (the domain's own, before its modules)."""
    return lambda block: re.sub(rf"{re.escape(prop)} = [^;]*;", f"{prop} = {value};", block,
                                count=1)


def module_reg(addr, size=0x8000):
    """The block's first module's reg (two address and two size cells)."""
    cells = f"{addr >> 32:#x} {addr & 0xffffffff:#x} 0x0 {size:#x}"
    return lambda block: re.sub(r"reg = <[^>]*>;", f"reg = <{cells}>;", block, count=1)


def boot_pair(dts_edit, timeout=60):
    doms = [qemu.Domain("hello"), qemu.Domain("worker")]
    return qemu.run(doms, "cloison", MACHINE, timeout=timeout,
                    until=qemu.verdicts_for(["worker"]), linger=1.0, dts_edit=dts_edit)


def lines_with(res, *needles):
    return [line for _, line in res.lines if all(n in line for n in needles)]


def test_a_hundred_and_twenty_domains_share_one_kernel(cloison):
    """The finding: 100 domains naming one kernel module panicked Cloison ('more
    than 64 reserved ranges'); Xen 4.17 boots them. One module, one reservation."""
    cases = ["hello"] * 120
    doms = [qemu.Domain(c, mem_kib=4096, share_modules=True) for c in cases]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=4, mem_mib=2048), timeout=180,
                   until=qemu.verdicts_for(cases), linger=1.0)
    assert_all_pass(res, cases)
    assert len({v.domid for v in res.final()}) == 120, res.describe()
    assert len(set(re.findall(r"-device loader,file=\S+hello.img", " ".join(res.cmd)))) == 1
    # Every one of them can take console input (the table had 64 places).
    assert "console input not available" not in res.output, res.describe()


BAD_DOMAIN_CELLS = [
    ("#address-cells", "<0>", "property '#address-cells' = 0 not supported (1 or 2)"),
    ("#address-cells", "<3>", "property '#address-cells' = 3 not supported (1 or 2)"),
    ("#size-cells", "<0>", "property '#size-cells' = 0 not supported (1 or 2)"),
    ("#size-cells", "<3>", "property '#size-cells' = 3 not supported (1 or 2)"),
]


@pytest.mark.parametrize("prop,value,message", BAD_DOMAIN_CELLS,
                         ids=[f"{p[1:]}={v[1:-1]}" for p, v, _ in BAD_DOMAIN_CELLS])
def test_domain_cells_outside_1_2_skip_the_domain(cloison, prop, value, message):
    res = boot_pair(in_domain("domU1", set_prop(prop, value)))
    assert_all_pass(res, ["worker"])
    assert lines_with(res, "dom0less: /chosen/domU1: " + message), res.describe()
    assert lines_with(res, "/chosen/domU1: domain skipped"), res.describe()
    assert not any(v.case == "hello" for v in res.verdicts), res.describe()


MODULE_PLACES = [
    ("flash", 0x04000000, "is not inside RAM"),             # QEMU virt's flash, not RAM
    ("beyond_ram", 0x100000000, "is not inside RAM"),      # past the 2 GiB at 1 GiB
    ("over_cloison", 0x40210000, "overlaps Cloison's image"),
]


@pytest.mark.parametrize("where,addr,why", MODULE_PLACES, ids=[m[0] for m in MODULE_PLACES])
def test_module_outside_ram_or_over_cloison_skips_the_domain(cloison, where, addr, why):
    res = boot_pair(in_domain("domU1", module_reg(addr)))
    assert_all_pass(res, ["worker"])
    msg = lines_with(res, "domU1: /chosen/domU1/module@", "property 'reg'", why,
                     "domain not created")
    assert msg, res.describe()
    assert not any(v.case == "hello" for v in res.verdicts), res.describe()


def test_module_overlapping_another_skips_the_later_domain(cloison):
    """domU2's kernel starts 4 KiB into domU1's: domU1 boots, domU2 is refused.
    (The worker is domU1 here, so the witness is the domain that boots.)"""
    doms = [qemu.Domain("worker"), qemu.Domain("hello")]
    first = qemu.module_layout(doms)[0][0][2]
    res = qemu.run(doms, "cloison", MACHINE, timeout=60, until=qemu.verdicts_for(["worker"]),
                   linger=1.0, dts_edit=in_domain("domU2", module_reg(first + 0x1000)))
    assert_all_pass(res, ["worker"])
    msg = lines_with(res, "domU2: /chosen/domU2/module@", "overlaps another boot module",
                     f"({first:#x}-")
    assert msg, res.describe()
    assert not any(v.case == "hello" for v in res.verdicts), res.describe()


def test_identical_modules_are_shared_not_refused(cloison):
    """Two domains naming the very same kernel bytes (as a real tree may): both boot."""
    doms = [qemu.Domain("worker", share_modules=True), qemu.Domain("worker", share_modules=True)]
    res = qemu.run(doms, "cloison", MACHINE, timeout=60,
                   until=qemu.verdicts_for(["worker", "worker"]), linger=0.5)
    assert_all_pass(res, ["worker", "worker"])


def test_domain_without_kernel_is_skipped(cloison):
    drop_module = in_domain("domU1", lambda b: re.sub(r"\t\t\tmodule@[^{]*\{.*?\t\t\t\};\n", "",
                                                       b, flags=re.S))
    res = boot_pair(drop_module)
    assert_all_pass(res, ["worker"])
    assert lines_with(res, "dom0less: /chosen/domU1: no module compatible \"multiboot,kernel\""), \
        res.describe()
    assert lines_with(res, "/chosen/domU1: domain skipped"), res.describe()


def test_three_thousand_domain_nodes(cloison):
    """3000 domains sharing one kernel on 2 GiB: each node is built or refused
    with a message (memory runs out well before), none is lost, nothing hangs,
    and the machine powers off after the last domain."""
    n = 3000
    doms = [qemu.Domain("hello", mem_kib=4096, share_modules=True) for _ in range(n)]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=4, mem_mib=2048), timeout=300)
    assert res.exited, "Cloison should power off after the last domain\n" + res.describe()
    built = set(re.findall(r"d\d+ \((domU\d+)\): 4 MiB RAM", res.output))
    # Refused for its RAM or its stage-2 root, never into Cloison's reserve.
    refused = set(re.findall(r"(domU\d+): cannot allocate (?:4096 KiB of RAM|its stage-2 root)",
                             res.output))
    assert len(built) > 300 and refused, res.describe()
    assert built | refused == {f"domU{i}" for i in range(1, n + 1)}, res.describe()
    passed = [v for v in res.final() if v.case == "hello" and v.status == "PASS"]
    assert len(passed) == len(built), res.describe()


def prepend_memreserve(start, size):
    return lambda dts: dts.replace("/dts-v1/;", f"/dts-v1/;\n/memreserve/ {start:#x} {size:#x};",
                                   1)


def refused_boot(res, *needles):
    assert res.exited, "a refused boot powers the machine off\n" + res.describe()
    assert lines_with(res, "cannot boot:", "powering off"), res.describe()
    for n in needles:
        assert lines_with(res, n), f"no line with {n!r}\n" + res.describe()
    assert not res.verdicts, res.describe()


def test_all_ram_reserved_refuses_the_boot(cloison):
    res = boot_pair(prepend_memreserve(0x40000000, 0x80000000))
    refused_boot(res, "mm: 0 KiB of RAM free after the reservations")


def test_root_cells_power_off_without_a_word(cloison):
    """#size-cells = <3> at the root: neither RAM nor the console UART (whose
    parent is the root) can be read, so nothing can be said; Cloison powers
    the machine off through PSCI rather than hang or fault."""
    edit = lambda dts: dts.replace("\t#size-cells = <0x02>;", "\t#size-cells = <0x03>;", 1)
    res = boot_pair(edit)
    assert res.exited, res.describe()
    assert not res.verdicts, res.describe()


def test_no_interrupt_controller_refuses_the_boot(cloison):
    edit = lambda dts: dts.replace('compatible = "arm,gic-v3";', 'compatible = "arm,gic-v9";', 1)
    res = boot_pair(edit)
    refused_boot(res, "irqchip: /: no node compatible", "no usable interrupt controller")

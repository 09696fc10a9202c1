"""Grant tables v1 and Cloison's own PV console, against Xen 4.17.

xen_gnttab (tests/guests/cases/xen_gnttab.c) checks every status code it
provokes itself; here it must pass under Cloison on both GICs and give the
identical verdict line under Xen 4.17 (dom0less, no dom0: "no-xenstore").
xen_pvcons writes through the PV console ring found in HVM params 17/18:
under Cloison every line must reach the domain's console and typed input
must reach the ring; Xen 4.17 dom0less serves no PV console (params unset).
"""

import re

import pytest

import qemu
from conftest import assert_all_pass

GICS = [pytest.param(3, id="gicv3"), pytest.param(2, id="gicv2")]


def run_enhanced(hv, case, gic=3, enhanced=True):
    doms = [qemu.Domain(case, enhanced=enhanced)]
    # Xen boots slowly on a loaded host: two CPUs, generous timeout.
    return qemu.run(doms, hv, qemu.Machine(gic=gic, smp=2), timeout=180,
                    until=qemu.verdicts_for([case]), linger=0.3)


def final_line(res, case):
    return [v for v in res.final() if v.case == case][0]


@pytest.mark.parametrize("gic", GICS)
def test_gnttab_cloison(cloison, gic):
    res = run_enhanced("cloison", "xen_gnttab", gic)
    assert_all_pass(res, ["xen_gnttab"])
    # Reading the hole left by the unmap costs one injected abort.
    assert len(re.findall(r"data abort at IPA", res.output)) == 1, res.describe()


@pytest.mark.xen
def test_gnttab_same_as_xen(xen, cloison):
    x = run_enhanced("xen", "xen_gnttab", enhanced="no-xenstore")
    assert_all_pass(x, ["xen_gnttab"])
    c = run_enhanced("cloison", "xen_gnttab", enhanced="no-xenstore")
    assert_all_pass(c, ["xen_gnttab"])
    assert final_line(x, "xen_gnttab").kv == final_line(c, "xen_gnttab").kv


@pytest.mark.xen
def test_pvcons_unserved_under_xen(xen):
    res = run_enhanced("xen", "xen_pvcons", enhanced="no-xenstore")
    assert_all_pass(res, ["xen_pvcons"])
    assert final_line(res, "xen_pvcons").kv.get("params") == "unset"


@pytest.mark.parametrize("gic", GICS)
def test_pvcons_output_and_input(cloison, gic):
    # Without a vPL011 the PV console is the domain's input device.
    doms = [qemu.Domain("xen_pvcons", enhanced=True, vpl011=False)]
    with qemu.Console(doms, machine=qemu.Machine(gic=gic, smp=2)) as con:
        con.expect(r"\(cloison\) console input: d1 \(", timeout=30)
        con.expect(r"TEST xen_pvcons RUN waiting-input", timeout=30)
        con.line("ping42")
        con.expect(r"TEST xen_pvcons (PASS|FAIL).*\r?\n", timeout=30)
        res = con.close()
    assert_all_pass(res, ["xen_pvcons"])
    v = final_line(res, "xen_pvcons")
    assert v.kv.get("params") == "set" and v.kv.get("pfn") == "0x39000", v.line
    assert v.kv.get("input") == "ping42", v.line
    # Every line went through the ring (more than it holds) into d1's console.
    for i in range(40):
        assert re.search(rf"\(d1\) pvcons line {i:02d} of 40: the quick brown fox", res.output), i

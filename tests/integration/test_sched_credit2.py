"""credit2 weights and caps (issue 12): CPU-bound guests (tests/guests/cases/tput.c)
sharing one pCPU get pCPU time in proportion to their weights, and a capped one
no more than its cap. The guests report work units per second of their own
virtual counter; both share the same QEMU thread, so the host's load changes
both alike and their ratio is the policy's, within the issue's 10%."""

import qemu

REPORT_S = 2
REPORTS = 6   # windows averaged, after the first (boot) window


def _rates(res, domid):
    return [int(v.kv["units_per_s"]) for v in res.verdicts
            if v.case == "tput" and v.domid == domid and "units_per_s" in v.kv]


def _enough(n_doms):
    def cond(res):
        per = {}
        for v in res.verdicts:
            if v.case == "tput" and "units_per_s" in v.kv:
                per[v.domid] = per.get(v.domid, 0) + 1
        return len(per) == n_doms and all(k >= REPORTS + 1 for k in per.values())
    return cond


def _run(doms):
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=1),
                   timeout=60 + REPORT_S * (REPORTS + 2) * 3, until=_enough(len(doms)))
    assert res.condition_met, "the guests did not report enough\n" + res.describe()
    ids = sorted({v.domid for v in res.verdicts if v.case == "tput"})
    assert len(ids) == len(doms), res.describe()
    # The first window holds the other's boot: left out.
    return [sum(_rates(res, d)[1:REPORTS + 1]) / REPORTS for d in ids], res


def test_weights_2_to_1_share_one_pcpu_2_to_1(cloison):
    boot = f"report_s={REPORT_S}"
    doms = [qemu.Domain("tput", bootargs=boot, sched_weight=512),
            qemu.Domain("tput", bootargs=boot, sched_weight=256)]
    (heavy, light), res = _run(doms)
    ratio = heavy / light
    print(f"weights 512:256 -> units/s {heavy:.0f} : {light:.0f} = {ratio:.3f}")
    assert 1.8 <= ratio <= 2.2, f"ratio {ratio:.3f}, want 2 +-10%\n" + res.describe()


def test_a_cap_of_25_percent_holds(cloison):
    boot = f"report_s={REPORT_S}"
    doms = [qemu.Domain("tput", bootargs=boot, sched_cap=25),
            qemu.Domain("tput", bootargs=boot)]
    (capped, free), res = _run(doms)
    share = capped / (capped + free)
    print(f"cap 25 -> units/s {capped:.0f} : {free:.0f}, share {share:.3f}")
    assert 0.225 <= share <= 0.275, f"capped share {share:.3f}, want 0.25 +-10%\n" + res.describe()

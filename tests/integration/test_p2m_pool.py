"""The P2M pool (issue 9, finding 2: unbounded stage-2 tables, the XSA-409 class).

A Xen-enhanced domU maps shared_info, grant frames and grant mappings at GFNs
in gigabytes of their own (two table pages each) until Cloison refuses
(`p2m_exhaust`), unmaps everything and does it again, then maps and removes
shared_info at 3000 fresh 2 MiB regions (what leaked two table pages a call
before tables were freed). Its tables come from its own pool only: the
refusal comes at a bounded count, every round maps as much as the first,
and it is restarted again and again with Cloison's free memory after each
destroy exactly the same, while a neighbour keeps being rebuilt.
"""

import re

import qemu

EXHAUST_RE = re.compile(r"\bd(\d+) \((domU\d+)\): .*P2M pool (\d+) KiB")
DESTROYED_RE = re.compile(r"\bd(\d+): destroyed, (\d+) KiB free")
CREATED_RE = re.compile(r"\bd(\d+) \((domU\d+)\): \d+ MiB RAM")
MACHINE = qemu.Machine(gic=3, smp=2)
BOOTS = 4
# A 64 MiB Xen-enhanced domain's default pool (core/domain_p2m.c): root (2),
# the level-2 tables of its RAM and of the first gigabyte (2), the PV console
# page's level-3 table (1), one page per 2 MiB block (32) and 2 more.
DEFAULT_POOL_KIB = (2 + 2 + 1 + 32 + 2) * 4


def passes(res, case="p2m_exhaust"):
    return [v for v in res.verdicts if v.case == case and v.status == "PASS"]


def pool_kib(res, name):
    return [int(m.group(3)) for _, line in res.lines
            if (m := EXHAUST_RE.search(line)) and m.group(2) == name]


def test_exhaustion_is_bounded_and_memory_comes_back(cloison):
    doms = [qemu.Domain("idle"),
            qemu.Domain("worker", bootargs="ticks=20", on_poweroff="restart"),
            qemu.Domain("p2m_exhaust", enhanced="no-xenstore", on_poweroff="restart",
                        bootargs="rounds=3 churn=3000")]
    res = qemu.run(doms, "cloison", MACHINE, timeout=300,
                   until=lambda r: len(passes(r)) >= BOOTS or "panic" in r.output.lower()
                   or any(v.status == "FAIL" for v in r.verdicts), linger=0.5)
    fails = [v.line for v in res.verdicts if v.status == "FAIL"]
    assert not fails, f"{fails}\n" + res.describe()
    ok = passes(res)
    assert len(ok) >= BOOTS, res.describe()
    first = ok[0].kv
    # Refused at a bounded count: the pool holds at most DEFAULT_POOL_KIB / 8
    # mappings that need two fresh tables each.
    assert 0 < int(first["total"]) <= DEFAULT_POOL_KIB // 8, res.describe()
    assert all(v.kv == first for v in ok), [v.line for v in ok]
    assert set(pool_kib(res, "domU3")) == {DEFAULT_POOL_KIB}, res.describe()
    # Free memory after each destroy of the hostile domain: exactly the same
    # every time (its tables, pool and everything else came back). The
    # neighbour is freed and rebuilt under one lock, so it always counts whole.
    names, seen = {}, {}
    for _, line in res.lines:
        if (m := CREATED_RE.search(line)):
            names[int(m.group(1))] = m.group(2)
        elif (m := DESTROYED_RE.search(line)):
            seen.setdefault(names.get(int(m.group(1))), []).append(int(m.group(2)))
    hostile = seen.get("domU3", [])
    assert len(hostile) >= BOOTS - 1, res.describe()
    assert len(set(hostile)) == 1, f"free KiB after each destroy: {hostile}"
    # The neighbour kept being rebuilt beside it.
    assert len(passes(res, "worker")) >= 2, res.describe()
    assert not res.exited, "Cloison stopped while the idle domain was up\n" + res.describe()


def test_p2m_mem_mb_is_honoured_and_zero_refused(cloison):
    doms = [qemu.Domain("idle"),
            qemu.Domain("p2m_exhaust", enhanced="no-xenstore", bootargs="rounds=1"),
            qemu.Domain("p2m_exhaust", enhanced="no-xenstore", bootargs="rounds=1", p2m_mem_mb=1),
            qemu.Domain("p2m_exhaust", enhanced="no-xenstore", p2m_mem_mb=0)]
    res = qemu.run(doms, "cloison", MACHINE, timeout=120,
                   until=lambda r: len(passes(r)) >= 2
                   or any(v.status == "FAIL" for v in r.verdicts), linger=0.5)
    by_dom = {v.domid: v for v in passes(res)}
    assert len(by_dom) == 2, res.describe()
    names = {int(m.group(1)): m.group(2) for _, line in res.lines
             if (m := CREATED_RE.search(line))}
    totals = {names[d]: int(v.kv["total"]) for d, v in by_dom.items()}
    assert pool_kib(res, "domU3") == [1024], res.describe()
    assert totals["domU3"] > 4 * totals["domU2"], totals
    assert ("dom0less: /chosen/domU4: property 'xen,domain-p2m-mem-mb' is 0" in res.output
            and "dom0less: /chosen/domU4: domain skipped" in res.output), res.describe()
    assert "domU4" not in names.values(), res.describe()

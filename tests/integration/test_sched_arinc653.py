"""The ARINC 653 scheduler (sched=arinc653, Xen's name) with a schedule from
the device tree (Cloison's cloison,arinc653-* properties on the xen,cpupool
node): each guest sees itself run for its window once per major frame."""

import re

import qemu
from conftest import assert_all_pass

MAJOR_US, W1_US, W2_US = 40000, 10000, 20000


def add_schedule(dts: str) -> str:
    """Label the cpu and the domain nodes, put both domains in an arinc653
    pool node: d1 10 ms, d2 20 ms, then 10 ms idle, every 40 ms."""
    dts = re.sub(r"\bcpu@0 \{", "cpu0: cpu@0 {", dts, count=1)
    for i in (1, 2):
        dts = dts.replace(f"\t\tdomU{i} {{\n",
                          f"\t\td{i}: domU{i} {{\n\t\t\tdomain-cpupool = <&pool0>;\n")
    pool = ("\t\tpool0: pool0 {\n"
            '\t\t\tcompatible = "xen,cpupool";\n'
            "\t\t\tcpupool-cpus = <&cpu0>;\n"
            '\t\t\tcpupool-sched = "arinc653";\n'
            f"\t\t\tcloison,arinc653-major-frame-us = <{MAJOR_US}>;\n"
            f"\t\t\tcloison,arinc653-schedule = <&d1 0 {W1_US}>, <&d2 0 {W2_US}>;\n"
            "\t\t};\n")
    return dts.replace("\t\tdomU1 {", pool + "\t\tdomU1 {").replace(
        "\t\td1: domU1 {", pool + "\t\td1: domU1 {", 1)


def test_arinc653_windows_seen_by_the_guests(cloison):
    doms = [qemu.Domain("windows"), qemu.Domain("windows")]
    # Instruction-counted time (-icount): the counter the guests read moves
    # only as QEMU runs them, so the busy host's stalls of QEMU's thread do not
    # show as gaps inside a window.
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=1, icount_shift=3), timeout=90,
                   bootargs=qemu.CLOISON_BOOTARGS + " sched=arinc653",
                   until=qemu.verdicts_for(["windows", "windows"]), linger=0.5,
                   dts_edit=add_schedule)
    assert "arinc653: Pool-0 runs the schedule of /chosen/pool0" in res.output, res.describe()
    assert_all_pass(res, ["windows", "windows"])
    assert_windows_on_time(res)


def assert_windows_on_time(res):
    """d1 and d2 (the windows guests) each ran their window at least 30 times,
    each run lasting its window (less the switch and the console's own work)
    and starting one major frame after the last: on time."""
    got = {}
    for v in res.final():
        if v.case == "windows":
            m = re.search(r"runs=(\d+) run_us=(\d+) period_us=(\d+)", v.rest)
            assert m, v.rest
            got[v.domid] = tuple(int(x) for x in m.groups())
    print(got)
    for domid, window in ((1, W1_US), (2, W2_US)):
        runs, run_us, period_us = got[domid]
        assert runs >= 30, got
        assert window * 0.95 <= run_us <= window, got
        assert abs(period_us - MAJOR_US) <= MAJOR_US * 0.01, got


def add_pool1_schedule(dts: str) -> str:
    """An arinc653 pool of pCPU 1 beside Pool-0 (pCPU 0, credit2): domU1 and
    domU2 in it, d1 10 ms, d2 20 ms every 40 ms; domU3 stays in Pool-0."""
    dts = re.sub(r"\bcpu@1 \{", "cpu1: cpu@1 {", dts, count=1)
    for i in (1, 2):
        dts = dts.replace(f"\t\tdomU{i} {{\n",
                          f"\t\td{i}: domU{i} {{\n\t\t\tdomain-cpupool = <&rt>;\n")
    pool = ("\t\trt: rt {\n"
            '\t\t\tcompatible = "xen,cpupool";\n'
            "\t\t\tcpupool-cpus = <&cpu1>;\n"
            '\t\t\tcpupool-sched = "arinc653";\n'
            f"\t\t\tcloison,arinc653-major-frame-us = <{MAJOR_US}>;\n"
            f"\t\t\tcloison,arinc653-schedule = <&d1 0 {W1_US}>, <&d2 0 {W2_US}>;\n"
            "\t\t};\n")
    return dts.replace("\t\td1: domU1 {", pool + "\t\td1: domU1 {", 1)


def test_arinc653_pool_beside_pool0(cloison):
    """A boot-time arinc653 pool that is not Pool-0 takes its node's schedule
    (no sched= on the command line: Pool-0 keeps credit2), and Pool-0's
    domain runs beside it untouched by the frame."""
    doms = [qemu.Domain("windows"), qemu.Domain("windows"), qemu.Domain("timer")]
    # -icount as above. Pool-0's guest waits for its timer most of the time,
    # so QEMU's one TCG thread gives pCPU 1 nearly all its turns.
    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=2, icount_shift=3), timeout=120,
                   until=qemu.verdicts_for(["windows", "windows", "timer"]), linger=0.5,
                   dts_edit=add_pool1_schedule)
    out = res.output
    assert re.search(r"cpupool: Pool-1: arinc653, pCPUs 0x2\b", out), res.describe()
    assert re.search(r"cpupool: Pool-0: credit2, pCPUs 0x1\b", out), res.describe()
    assert "arinc653: Pool-1 runs the schedule of /chosen/rt" in out, res.describe()
    assert "Pool-0 runs the schedule" not in out, res.describe()
    assert_all_pass(res, ["windows", "windows", "timer"])
    assert_windows_on_time(res)


def test_arinc653_schedule_on_a_credit2_pool_refused(cloison):
    """The schedule properties on a pool whose scheduler is not arinc653
    would never be in force: the boot stops, naming the node."""
    def edit(dts: str) -> str:
        return add_pool1_schedule(dts).replace('cpupool-sched = "arinc653";',
                                               'cpupool-sched = "credit2";')
    res = qemu.run([qemu.Domain("windows"), qemu.Domain("windows"), qemu.Domain("timer")],
                   "cloison", qemu.Machine(gic=3, smp=2), timeout=60, dts_edit=edit)
    assert res.exited, res.describe()
    assert ("cpupool: /chosen/rt: property 'cloison,arinc653-major-frame-us' on a pool whose "
            "scheduler is credit2, not arinc653") in res.output, res.describe()
    assert "cannot boot:" in res.output, res.describe()
    assert not res.verdicts, res.describe()

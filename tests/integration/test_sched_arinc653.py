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
    got = {}
    for v in res.final():
        m = re.search(r"runs=(\d+) run_us=(\d+) period_us=(\d+)", v.rest)
        assert m, v.rest
        got[v.domid] = tuple(int(x) for x in m.groups())
    print(got)
    for domid, window in ((1, W1_US), (2, W2_US)):
        runs, run_us, period_us = got[domid]
        assert runs >= 30, got
        # Each run lasts its window (less the switch and the console's own
        # work), and starts one major frame after the last: on time.
        assert window * 0.95 <= run_us <= window, got
        assert abs(period_us - MAJOR_US) <= MAJOR_US * 0.01, got

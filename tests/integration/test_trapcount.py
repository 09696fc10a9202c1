"""Trap counts (boot option `trapcount`, trap/trapcount.c): a guest's exits are counted
by domain, class and detail, shown by the `t` debug key and summarised when the domain
is destroyed; without the option nothing is counted."""

import re
import time

import qemu

COUNTED = qemu.CLOISON_BOOTARGS + " trapcount"


def powered_off(res):
    # The domain's destroy (and its summary) comes before the machine powers off.
    return "no domains left running" in res.output


def test_hypercalls_counted_and_summarised_at_destroy(cloison):
    # hcall_null makes 100000 xen_version calls, then powers off: its domain is
    # destroyed and the summary names the hypercall with at least that many.
    res = qemu.run([qemu.Domain("hcall_null")], "cloison", qemu.Machine(gic=3, smp=1),
                   timeout=120, until=powered_off, bootargs=COUNTED)
    assert [v.status for v in res.final()] == ["PASS"], res.describe()
    summary = re.search(r"trap counts d1: (.*) total=(\d+)", res.output)
    assert summary, res.describe()
    hvc = re.search(r"\bhvc=(\d+)", summary.group(1))
    assert hvc and int(hvc.group(1)) >= 100000, summary.group(0)
    detail = re.search(r"d1 hvc 17 xen_version: (\d+)", res.output)
    assert detail and int(detail.group(1)) >= 100000, res.describe()


def test_off_by_default(cloison):
    res = qemu.run([qemu.Domain("hcall_null")], "cloison", qemu.Machine(gic=3, smp=1),
                   timeout=120, until=powered_off)
    assert [v.status for v in res.final()] == ["PASS"], res.describe()
    assert "trap counts" not in res.output


def test_debug_keys_list_and_reset(cloison):
    # A domain that stays up, waiting in WFI with its timer ticking: input to Cloison,
    # 't' lists d1's counts (its WFIs, one per tick) and ends with the lost total;
    # 'T' resets them.
    with qemu.Console([qemu.Domain("idle")], "cloison", qemu.Machine(gic=3, smp=1),
                      bootargs=COUNTED) as con:
        con.expect(r"TEST idle RUN", timeout=60)
        con.expect(r"console input: d1", timeout=10, since=0)
        con.write(qemu.SWITCH_INPUT)
        con.expect(r"console input: cloison", timeout=10)
        end = time.monotonic() + 2.5   # two timer ticks, so two WFIs
        while time.monotonic() < end:
            con.pump(end - time.monotonic())
        mark = len(con.res.output)
        con.write(b"t")
        end = con.expect(r"trap counts end \((\d+) not counted", timeout=10, since=mark)
        text = con.res.output[mark:end.start()]
        assert end.group(1) == "0", text
        summary = re.search(r"trap counts d1: (.*) total=(\d+)", text)
        assert summary and re.search(r"\bwfi=\d+", summary.group(1)), text
        assert re.search(r"d1 wfi: \d+", text), text
        con.write(b"T")
        con.expect(r"trap counts reset", timeout=10)

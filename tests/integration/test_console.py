"""Console input multiplexing: Ctrl-a x3 moves typed input between domains and Cloison.

Two uart_echo guests (tests/guests/cases/uart_echo.c) read their vPL011 with
interrupts and echo each typed line as "TEST uart_echo RUN echo=<line>"; the
line "quit" ends one. Cloison gives input to the first domain that can take it
(d1), then Ctrl-a x3 cycles d1 -> d2 -> cloison -> d1, and a domain that ends
passes the focus on.
"""

import re
import time

import pytest

import qemu
from conftest import assert_all_pass

GICS = [pytest.param(3, id="gicv3"), pytest.param(2, id="gicv2")]


def echo_re(text):
    # The "(dN) " prefix may come before the point ask() searches from: the
    # guest's prompt is shown (prefix included) before the line is typed.
    # Which domain answered is checked on the parsed lines afterwards.
    return rf"TEST uart_echo RUN echo={re.escape(text)}\r?\n"


def echoes(res):
    """{text: [domain ids that echoed it]}"""
    out = {}
    for v in res.verdicts:
        if v.case == "uart_echo" and v.status == "RUN" and v.rest.startswith("echo="):
            out.setdefault(v.rest[len("echo="):], []).append(v.domid)
    return out


def own_text(con, domid):
    """Everything domain domid printed, its "(dN) " fragments joined."""
    prefix = f"(d{domid}) "
    return "".join(line[len(prefix):] for line in con.res.output.replace("\r", "").split("\n")
                   if line.startswith(prefix))


@pytest.mark.parametrize("gic", GICS)
def test_ctrl_a_routes_input(cloison, gic):
    doms = [qemu.Domain("uart_echo"), qemu.Domain("uart_echo")]
    with qemu.Console(doms, machine=qemu.Machine(gic=gic, smp=2)) as con:
        # Initial focus: the first domain with a vPL011.
        first = con.expect(r"\(cloison\) console input: (\S+) \(", timeout=30)
        assert first.group(1) == "d1", first.group(0)
        for d in (1, 2):
            con.expect(rf"\(d{d}\) TEST uart_echo RUN waiting for input", timeout=30, since=0)
        # Partial lines (the prompt has no newline) show up without any input.
        # The focused domain's prompt is shown as it is typed, so another
        # domain's line may split it: join each domain's fragments.
        deadline = time.monotonic() + 10
        while not all("echo>" in own_text(con, d) for d in (1, 2)):
            assert time.monotonic() < deadline, "prompts never shown\n" + con.describe()
            con.pump(0.2)

        con.ask("hello-one", echo_re("hello-one"))
        con.focus(2)
        con.ask("hello-two", echo_re("hello-two"))
        # Cloison's own keys: 'm' answers, and nothing reaches a domain.
        con.write(qemu.SWITCH_INPUT)
        con.expect(r"\(cloison\) console input: cloison", timeout=10)
        con.ask("m", r"\(cloison\) memory: \d+ KiB total")
        con.focus(1)
        # A pasted burst longer than the 32-byte FIFO arrives whole.
        long = "x" * 50 + "-end"  # the guest keeps lines up to 63 bytes
        con.ask(long, echo_re(long))
        con.ask("quit", r"TEST uart_echo PASS lines=2")
        # d1 is gone: the focus moves on to d2.
        con.expect(r"\(cloison\) console input: d2 ", timeout=10)
        con.ask("quit", r"TEST uart_echo PASS lines=1")
        con.wait_exit(20)
    res = con.res
    assert_all_pass(res, ["uart_echo", "uart_echo"])
    # Each line reached only the domain that had the focus; Cloison's 'm' none.
    assert echoes(res) == {"hello-one": [1], "hello-two": [2], long: [1]}, echoes(res)
    passes = sorted((v.domid, v.rest) for v in res.final())
    assert passes == [(1, "lines=2"), (2, "lines=1")], passes


def test_conswitch_x_keeps_input_with_cloison(cloison):
    """conswitch=ax (Xen's option): the input stays with Cloison at boot, so
    its keys work at once; Ctrl-a x3 then moves it to the first domain."""
    doms = [qemu.Domain("uart_echo")]
    with qemu.Console(doms, machine=qemu.Machine(gic=3, smp=2),
                      bootargs=qemu.CLOISON_BOOTARGS + " conswitch=ax") as con:
        con.expect(r"\(d1\) TEST uart_echo RUN waiting for input", timeout=30)
        con.ask("m", r"\(cloison\) memory: \d+ KiB total")
        con.write(qemu.SWITCH_INPUT)
        con.expect(r"\(cloison\) console input: d1 ", timeout=10)
        con.ask("quit", r"TEST uart_echo PASS lines=0")
    assert "console input: d1 (domU1) (type" not in con.res.output.split("memory:")[0], \
        "the input went to d1 at boot\n" + con.describe()

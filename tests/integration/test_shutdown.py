"""Domain shutdown: reported by the hypervisor, and QEMU powers off after the last domain."""

import re

import pytest

import qemu

GUEST_LINE = re.compile(r"\(d\d+\)|DOM\d+:|TEST ")


def reported(res, domid, word):
    dom = rf"\b(?:d|dom|domain\s*){domid}(?:v\d+)?\b"   # d1, dom1, domain 1, d1v0
    pat = re.compile(rf"{dom}.*{word}|{word}.*{dom}", re.I)
    return [line for _, line in res.lines if not GUEST_LINE.search(line) and pat.search(line)]


@pytest.mark.parametrize("case,word", [("poweroff", "power ?off"), ("reboot", "reboot")])
def test_shutdown_reason_and_exit(cloison, case, word):
    res = qemu.run([qemu.Domain(case)], "cloison", timeout=40)
    assert any(v.case == case and v.status == "RUN" for v in res.verdicts), res.describe()
    assert not [v for v in res.verdicts if v.status == "FAIL"], res.describe()
    assert reported(res, 1, word), f"no hypervisor line reporting d1 {word}\n" + res.describe()
    assert res.exited and res.returncode == 0, "QEMU did not power off by itself\n" + \
        res.describe()


def test_exit_waits_for_last_domain(cloison):
    # d1 powers off at once; d2 works for ~0.5 s first. QEMU must outlive d1.
    res = qemu.run([qemu.Domain("poweroff"), qemu.Domain("worker")], "cloison", timeout=60)
    workers = [v for v in res.final() if v.case == "worker"]
    assert workers and workers[0].status == "PASS", res.describe()
    assert res.exited and res.returncode == 0, res.describe()


def test_preserved_domain_is_kept_and_does_not_keep_the_machine_on(cloison):
    # d1 powers off at once with on_poweroff="preserve": kept (never destroyed),
    # while d2 works on; when d2 ends, only a preserved domain is left and
    # Cloison powers the machine off.
    doms = [qemu.Domain("poweroff", on_poweroff="preserve"), qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(smp=2), timeout=60)
    workers = [v for v in res.final() if v.case == "worker"]
    assert workers and workers[0].status == "PASS", res.describe()
    assert re.search(r"\bd1 \(domU1\): shut down: poweroff; preserving it", res.output), \
        res.describe()
    assert not re.search(r"\bd1: destroyed", res.output), res.describe()
    assert re.search(r"\bd2: destroyed", res.output), res.describe()
    assert res.exited and res.returncode == 0, res.describe()


RESTARTS = 30
SHUTDOWN_RE = re.compile(r"\bd\d+ \(domU1\): shut down: (\w+); (\w+) it")


def test_first_shutdown_reason_is_latched(cloison):
    """Xen's rule (issue 9, finding 5): shutdown_code(reboot), then poweroff from vCPU 0 while
    vCPU 1 sets the code crash and shuts down for crash: every boot must act on reboot
    (restart), never destroy, whatever the interleaving (-smp 2: both vCPUs at once)."""
    dom = qemu.Domain("shutdown_code", cpus=2, enhanced=True, on_reboot="restart",
                      on_poweroff="destroy", on_crash="destroy")

    def shutdowns(r):
        return SHUTDOWN_RE.findall(r.output)

    res = qemu.run([dom], "cloison", qemu.Machine(gic=3, smp=2), timeout=120,
                   until=lambda r: len(shutdowns(r)) >= RESTARTS
                   or any(act != "restarting" for _, act in shutdowns(r)), linger=0.3)
    seen = shutdowns(res)
    assert len(seen) >= RESTARTS, f"{len(seen)} shutdowns of {RESTARTS}\n" + res.describe()
    assert all(s == ("reboot", "restarting") for s in seen), f"{seen}\n" + res.describe()
    boots = [v for v in res.verdicts if v.case == "shutdown_code" and v.status == "RUN"]
    assert len(boots) >= RESTARTS, res.describe()
    assert not [v for v in res.verdicts if v.status == "FAIL"], res.describe()

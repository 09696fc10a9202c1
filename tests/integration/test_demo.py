"""`make run DEMO=check`: the demo's scripted session (scripts/demo.py --check) passes.

The session `make run` shows a user (boot with the toolstack dom0, `xl list`,
`xl create -c /etc/xen/demo.cfg`, a command typed into the domU, Ctrl-] back,
`xl list` with both, `xl destroy`), run non-interactively under Xen 4.17 and Cloison,
so the demo cannot rot unnoticed. test_toolstack.py checks the toolstack itself in depth.
"""

import sys

import pytest

import qemu

sys.path.insert(0, str(qemu.REPO / "scripts"))
import demo  # noqa: E402


def test_demo(cloison):
    assert demo.toolstack_demo("cloison", check=True) == 0, "DEMO FAIL (see the output)"


@pytest.mark.xen
def test_demo_xen(xen):
    assert demo.toolstack_demo("xen", check=True) == 0, "DEMO FAIL (see the output)"


@pytest.mark.guest_panics
def test_speedometer_demo(cloison):
    """`make run DEMO=speedometer-check`: the speedometer reports every second while
    the infotainment Linux crashes and comes back twice (the scenario runs its
    course; test_sched_latency.py judges the deadlines)."""
    import demo_speedometer
    assert demo_speedometer.run("cloison", check_s=600) == 0, "DEMO FAIL (see the output)"

"""`make run DEMO=check`: the demo's scripted session (scripts/demo.py --check) passes.

The session `make run` shows a user (boot with the toolstack dom0, `xl list`,
`xl create -c /etc/xen/demo.cfg`, a command typed into the domU, Ctrl-] back,
`xl list` with both, `xl destroy`), run non-interactively under Xen 4.17 and Cloison,
so the demo cannot rot unnoticed. test_toolstack.py checks the toolstack itself in depth.
"""

import sys

import pytest

import qemu
import test_toolstack as ts

sys.path.insert(0, str(qemu.REPO / "scripts"))
import demo  # noqa: E402


def test_demo(cloison):
    if ts.CLOISON_STAGE < 2:
        pytest.skip(f"CLOISON_STAGE = {ts.CLOISON_STAGE} (test_toolstack.py): xl create is "
                    "stage 2 on Cloison")
    assert demo.toolstack_demo("cloison", check=True) == 0, "DEMO FAIL (see the output)"


@pytest.mark.xen
def test_demo_xen(xen):
    assert demo.toolstack_demo("xen", check=True) == 0, "DEMO FAIL (see the output)"

"""Shared fixtures for the QEMU integration tests.

Nothing is skipped silently: a missing build artefact (build/cloison, a guest image)
or a missing Xen download is a test failure that says which command fixes it.
"""

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qemu  # noqa: E402

CASES_DIR = qemu.REPO / "tests" / "guests" / "cases"


def pytest_configure(config):
    config.addinivalue_line("markers", "xen: needs Xen 4.17 from scripts/fetch-xen.sh")
    config.addinivalue_line("markers", "guest_panics: a guest panics on purpose; its own "
                            "(dN)-prefixed panic lines do not fail the test")


# A guest's console line as either hypervisor prints it: "(d3) ..." (Cloison's prefix, and
# Xen's for console_io) or "(XEN) DOM3: ..." (Xen's for a vPL011 without dom0, whose later
# lines of one write keep only "(XEN) ", so a Linux guest's "[   14.868682] ..." follows it;
# Xen's own lines carry no such timestamp by default). Anything else is the hypervisor's
# own or dom0's.
GUEST_LINE_RE = re.compile(r"^\s*(\(d\d+\)|\(XEN\) DOM\d+:|\(XEN\) \[ *\d+\.\d+\])")
PANIC_RE = re.compile(r"panic", re.IGNORECASE)


@pytest.fixture(autouse=True)
def no_panic_anywhere(request):
    """Fail any test whose QEMU output mentions a panic, case-insensitively, whatever
    the test checked itself: a hypervisor panic must never pass unnoticed. Tests marked
    guest_panics may see panic lines from guests, never from the hypervisor or dom0."""
    qemu.RECORD_RESULTS = True
    qemu.RESULTS.clear()
    yield
    allow_guest = request.node.get_closest_marker("guest_panics") is not None
    bad = []
    for res in qemu.RESULTS:
        for _, line in res.lines:
            if PANIC_RE.search(line) and not (allow_guest and GUEST_LINE_RE.match(line)):
                bad.append(f"[{res.hv}] {line.strip()}")
    qemu.RESULTS.clear()
    assert not bad, "panic in the console output:\n" + "\n".join(bad[:20])


def all_cases():
    return sorted(p.stem for p in CASES_DIR.glob("*.c"))


@pytest.fixture(scope="session")
def guests():
    """The built guest images; fails (not skips) when any case lacks its image."""
    missing = [c for c in all_cases() if not (qemu.GUESTS / f"{c}.img").is_file()]
    if missing:
        pytest.fail(f"guest images missing in {qemu.GUESTS}: {missing}; run `make`")
    return qemu.GUESTS


@pytest.fixture(scope="session")
def cloison(guests):
    if not qemu.CLOISON_BIN.is_file():
        pytest.fail(f"{qemu.CLOISON_BIN} is missing; run `make`")
    return qemu.CLOISON_BIN


@pytest.fixture(scope="session")
def xen(guests):
    if not qemu.XEN_BIN.is_file():
        pytest.fail(f"{qemu.XEN_BIN} is missing; run scripts/fetch-xen.sh "
                    "(downloads Debian's xen-hypervisor-4.17-arm64)")
    return qemu.XEN_BIN


def final_by_case(res):
    """{case: [final verdicts]}; a case with several domains has several entries."""
    out = {}
    for v in res.final():
        out.setdefault(v.case, []).append(v)
    return out


def assert_all_pass(res, cases):
    """Every listed case (with multiplicity) printed exactly its PASS verdict, no FAIL."""
    by_case = final_by_case(res)
    problems = []
    for case in set(cases):
        want = cases.count(case)
        got = by_case.get(case, [])
        fails = [v.line for v in got if v.status != "PASS"]
        if fails:
            problems.append(f"{case}: {fails}")
        elif len(got) < want:
            problems.append(f"{case}: {len(got)} of {want} verdicts")
    assert not problems, "; ".join(problems) + "\n" + res.describe()

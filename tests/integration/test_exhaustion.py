"""Exhaustion guests, one per quota (issue 9, tests): each takes all of one
per-domain quota, gets an error (never a panic), and its neighbour can still
be created and restarted meanwhile; the exhausting domain restarts itself
(on_poweroff = "restart") and must get the same quota again.

- exhaust_evtchn: event channel ports until -ENOSPC, closed and retaken,
  reset and retaken (tests/guests/cases/exhaust_evtchn.c)
- exhaust_gnttab: grant frames until -EINVAL, then maptrack handles until a
  map is refused (exhaust_gnttab.c)
- exhaust_console: console_io from 2 vCPUs for 1.5 s: the per-domain rate
  limit holds (what is shown stays within the burst plus the UART's rate)
  and the neighbour's lines still appear (exhaust_console.c)
The P2M-pool exhaustion guest lives with the P2M pools.

The neighbour is a worker that finishes after 20 ticks (0.2 s) and is
restarted by its on_poweroff policy: a domain created again and again while
the other holds its quota. An idle domain keeps the machine up throughout.
"""

import re

import pytest

import qemu

BOOTS = 3  # of the exhausting domain
HOLD_MS = 500
# Cloison's console rate limit (console/console.h, drivers/pl011.c): a bucket
# of CONSOLE_BURST_BYTES refilled at the UART's rate, 115200 baud 8N1.
CONSOLE_BURST_BYTES = 16384
UART_BYTES_PER_SEC = 11520
FLOOD_LINE = 200  # bytes per flood line, newline included (exhaust_console.c)

CREATED_RE = re.compile(r"\bd(\d+) \(domU2\): \d+ MiB RAM")


def run(case, cpus=1, timeout=120):
    doms = [qemu.Domain("idle"),
            qemu.Domain("worker", bootargs="ticks=20", on_poweroff="restart"),
            qemu.Domain(case, cpus=cpus, enhanced=True, on_poweroff="restart",
                        bootargs=f"hold_ms={HOLD_MS}")]

    def done(res):
        return (sum(v.case == case for v in res.final()) >= BOOTS
                or "panic" in res.output.lower())

    res = qemu.run(doms, "cloison", qemu.Machine(gic=3, smp=2), timeout=timeout,
                   until=done, linger=0.3)
    fails = [v.line for v in res.verdicts if v.status == "FAIL"]
    assert not fails, f"{fails}\n" + res.describe()
    passes = [v for v in res.final() if v.case == case]
    assert len(passes) >= BOOTS, f"{len(passes)} boots of {BOOTS}\n" + res.describe()
    assert not res.exited, "Cloison stopped\n" + res.describe()
    return res, passes


def same_quota(passes, keys):
    """Every boot of the exhausting domain got the same numbers."""
    got = {tuple(v.kv.get(k) for k in keys) for v in passes}
    assert len(got) == 1, f"boots disagree on {keys}: {[v.line for v in passes]}"


def neighbour_created_while_full(res, case):
    """A neighbour was created between a "RUN full" line of the exhausting
    domain and its verdict, i.e. while it held its whole quota."""
    windows, start = [], None
    for t, line in res.lines:
        if f"TEST {case} RUN full" in line:
            start = t
        elif start is not None and f"TEST {case} PASS" in line:
            windows.append((start, t))
            start = None
    created = [t for t, line in res.lines if CREATED_RE.search(line)]
    assert windows and all(any(a <= t <= b for t in created) for a, b in windows), \
        f"no neighbour created while {case} was full {windows}\n" + res.describe()


def test_event_channel_ports(cloison):
    res, passes = run("exhaust_evtchn")
    same_quota(passes, ["ports", "err", "after_reset"])
    assert passes[0].kv["err"] == "-28", passes[0].line  # -ENOSPC, as Xen
    neighbour_created_while_full(res, "exhaust_evtchn")


def test_grant_frames_and_maptrack(cloison):
    res, passes = run("exhaust_gnttab")
    same_quota(passes, ["frames", "maps", "status"])
    assert passes[0].kv["frames"] == "64", passes[0].line  # Xen's max_grant_frames
    neighbour_created_while_full(res, "exhaust_gnttab")


def flood_shown_per_boot(res):
    """{domid: bytes of its flood lines (and drop notes) the console showed}."""
    shown = {}
    for v in res.verdicts:
        if v.case == "exhaust_console" and v.status == "RUN" and v.rest.startswith("flood"):
            shown[v.domid] = shown.get(v.domid, 0) + FLOOD_LINE
    for d, line in re.findall(r"\(d(\d+)\) (\[\d+ bytes dropped: rate limit\])", res.output):
        shown[int(d)] = shown.get(int(d), 0) + len(line) + 1
    return shown


def test_console_flood(cloison):
    res, passes = run("exhaust_console", cpus=2)
    shown = flood_shown_per_boot(res)
    for v in passes:
        wrote = int(v.kv["bytes"])
        # Its whole life: the flood, the quiet 300 ms before PASS, a boot's worth.
        secs = int(v.kv["elapsed_ms"]) / 1000 + 0.5
        limit = CONSOLE_BURST_BYTES + UART_BYTES_PER_SEC * secs
        got = shown.get(v.domid, 0)
        assert 0 < got <= limit, (f"d{v.domid} wrote {wrote} B in {secs:.1f} s, the console "
                                  f"showed {got} B (limit {limit:.0f})\n" + res.describe())
        assert wrote > 4 * limit, f"d{v.domid} wrote only {wrote} B: no flood\n" + v.line
    assert re.search(r"\(d\d+\) \[\d+ bytes dropped: rate limit\]", res.output), res.describe()
    # The neighbour's lines still appear while the flood goes on.
    for v in passes:
        first = min(f.t for f in res.verdicts
                    if f.domid == v.domid and f.rest.startswith("flood"))
        during = [w for w in res.final() if w.case == "worker" and first <= w.t <= v.t]
        assert during, f"no neighbour line during d{v.domid}'s flood\n" + res.describe()

"""Latency of a guest's vCPU, judged on the time the host actually ran QEMU.

Used by test_sched_latency.py, bench/sched.py and the speedometer demo.

The problem. Without -icount, QEMU runs each emulated pCPU in a host thread
("CPU N/TCG") and the guests' counters follow the host's clock. The host here is
shared (two cores, several QEMUs): Linux deschedules those threads, and while
the thread of the pCPU a guest runs on is off the host CPU, the guest sees its
counter jump exactly as if the hypervisor had given its pCPU to someone else.
A guest's own figure therefore mixes two causes: the hypervisor's and the host's.

The method. The latency guest (tests/guests/cases/latency.c, poll mode) and the
speedometer never idle: the thread of their pCPU is always runnable, so the time
that thread did not run during the measurement is the time the host took from
it. A sampler reads each vCPU thread's `se.sum_exec_runtime` (/proc/<qemu
pid>/task/<tid>/sched, nanoseconds) every SAMPLE_S seconds. The guest prints its
window in the physical counter's microseconds (`end_us`, `window_us`), which
QEMU derives from the host's monotonic clock since the machine started; the
offset between the two clocks is taken from the console lines themselves (a
line is read after it was printed, so the smallest "read time - printed time"
is the offset, give or take the console's delay). Then, over the window W:

    host_off = W - (runtime(end) - runtime(start))   the host did not run it
    run      = W - host_off                          the thread ran
    hv_lost  = lost - host_off                       lost, host's part removed
    hv_share = hv_lost / run                         the verdict's figure

hv_share is the fraction of the time the pCPU really ran in which the guest
did not: ~0 on an idle machine, ~0.5 beside a neighbour sharing its pCPU under
a fair scheduler, and what isolation must bring back to the idle figure.

Which thread: the guest's pCPU is the only one of its pool (null pool, the
judged case); on a machine it shares, every pCPU of the pool is busy all the
time (spinners) and the mean over those threads is used; alone on an idle
machine ("busiest"), the busiest thread bounds what the host gave it (Cloison's
idle pCPUs sleep in WFI; Xen 4.17's idle pCPU keeps its thread about as busy).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence, Union

import qemu

SAMPLE_S = 0.01
EDGE_S = 0.05      # how far past the first or last sample a time may be read
# QEMU names its vCPU threads "CPU N/TCG" only when asked.
QEMU_ARGS = ["-name", "debug-threads=on"]
THREAD_RE = re.compile(r"CPU (\d+)/TCG")
RUNTIME_RE = re.compile(r"se\.sum_exec_runtime\s*:\s*(\d+)\.(\d+)")


def vcpu_threads(pid: int) -> dict[int, int]:
    """{emulated pCPU index: host thread id} of a running QEMU."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            m = THREAD_RE.fullmatch((task / "comm").read_text().strip())
        except OSError:
            continue
        if m:
            out[int(m.group(1))] = int(task.name)
    return out


def runtime_ns(pid: int, tid: int) -> int:
    """CPU time the host gave this thread so far (ns): the scheduler's own sum
    where /proc shows it, else utime + stime (10 ms steps)."""
    try:
        m = RUNTIME_RE.search(Path(f"/proc/{pid}/task/{tid}/sched").read_text())
        if m:
            return int(m.group(1)) * 1_000_000 + int(m.group(2).ljust(6, "0")[:6])
    except OSError:
        pass
    fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 10_000_000


class Sampler:
    """Samples every vCPU thread's run time every SAMPLE_S s in a thread of its own."""

    def __init__(self, pid: int, start: float, ncpus: int = 0):
        """ncpus: how many vCPU threads to wait for (QEMU starts them one by one)."""
        self.pid, self.start, self.ncpus = pid, start, ncpus
        self.samples: list[tuple[float, dict[int, int]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.threads: dict[int, int] = {}

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if not self.threads or len(self.threads) < self.ncpus:
                    self.threads = vcpu_threads(self.pid)
                now = time.monotonic() - self.start
                self.samples.append((now, {c: runtime_ns(self.pid, t)
                                           for c, t in self.threads.items()}))
            except (OSError, ValueError, IndexError):
                pass   # QEMU starting or gone
            self._stop.wait(SAMPLE_S)

    def wait_past(self, t: float, timeout: float = 5.0) -> None:
        """Until a sample later than t (s since start) is in, or timeout."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.samples and self.samples[-1][0] > t and \
                    len(self.samples[-1][1]) >= max(1, self.ncpus):
                return
            time.sleep(SAMPLE_S)

    def runtime_at(self, cpu: int, t: float) -> float:
        """Run time (ns) of pCPU cpu's thread at time t (s since start), interpolated."""
        pts = [(s, r[cpu]) for s, r in self.samples if cpu in r]
        # A little past the last sample is the last value: QEMU exits as soon as the
        # hypervisor powers the machine off after the guest's last line.
        if not pts or t < pts[0][0] - EDGE_S or t > pts[-1][0] + EDGE_S:
            raise ValueError(f"no host samples around t={t:.3f}s for CPU {cpu}")
        if t <= pts[0][0]:
            return pts[0][1]
        for (t0, r0), (t1, r1) in zip(pts, pts[1:]):
            if t0 <= t <= t1:
                return r0 if t1 == t0 else r0 + (r1 - r0) * (t - t0) / (t1 - t0)
        return pts[-1][1]


def clock_offset(res: qemu.Result) -> float:
    """Host time (s since the Console started) of the guests' physical counter 0:
    the smallest read-time - printed-time over lines stamped with the counter."""
    best = None
    for v in res.verdicts:
        us = v.kv.get("end_us") or v.kv.get("start_us")
        if us is None:
            continue
        off = v.t - int(us) / 1e6
        best = off if best is None else min(best, off)
    if best is None:
        raise ValueError("no console line carries the physical counter")
    return best


@dataclass
class Figures:
    """One window of one guest, judged against the host (all in microseconds)."""
    window_us: float
    lost_us: float
    host_off_us: float
    cpus: list
    extra: dict = field(default_factory=dict)

    @property
    def run_us(self) -> float:
        return self.window_us - self.host_off_us

    @property
    def hv_lost_us(self) -> float:
        return self.lost_us - self.host_off_us

    @property
    def hv_share(self) -> float:
        return self.hv_lost_us / self.run_us if self.run_us > 0 else float("nan")

    def summary(self) -> str:
        keys = " ".join(f"{k}={v}" for k, v in self.extra.items())
        return (f"window={self.window_us / 1e3:.0f}ms lost={self.lost_us / 1e3:.1f}ms "
                f"host_off={self.host_off_us / 1e3:.1f}ms run={self.run_us / 1e3:.0f}ms "
                f"hv_lost={self.hv_lost_us / 1e3:.1f}ms hv_share={self.hv_share:.3f} "
                f"cpus={self.cpus} {keys}").strip()


CpuChoice = Union[Sequence[int], str]   # pCPU indices, or "busiest"


def judge(sampler: Sampler, offset: float, end_us: int, window_us: int, lost_us: int,
          cpus: CpuChoice, extra: Optional[dict] = None) -> Figures:
    t1 = offset + end_us / 1e6
    t0 = t1 - window_us / 1e6
    if cpus == "busiest":
        # One busy vCPU on the machine: it ran no longer than the thread running it.
        # Alone on Cloison the other pCPUs' threads sleep in WFI; Xen 4.17's idle pCPU
        # keeps its thread about as busy as the guest's, and the vCPU may move: the
        # busiest thread is the best bound on what the host gave it.
        runs = {c: sampler.runtime_at(c, t1) - sampler.runtime_at(c, t0)
                for c in sampler.threads}
        cpus = [max(runs, key=runs.get)]
    offs = [window_us - (sampler.runtime_at(c, t1) - sampler.runtime_at(c, t0)) / 1e3
            for c in cpus]
    host_off = max(0.0, sum(offs) / len(offs))
    return Figures(window_us, lost_us, host_off, list(cpus), extra or {})


# ---- cpupools in the boot device tree (Xen 4.17's binding) ----

@dataclass
class Pool:
    """A /chosen node compatible "xen,cpupool" (docs/misc/arm/device-tree/cpupools.txt)."""
    name: str
    cpus: list
    sched: Optional[str] = None


def pools_edit(pools: Sequence[Pool], domain_pool: dict) -> Callable[[str], str]:
    """A qemu.host_dtb dts_edit adding the pools and each domain's `domain-cpupool`
    ({domain index in the list: pool name}). Phandles by path: dtc gives the
    nodes theirs (QEMU's cpu nodes already have one)."""
    lines = ["/ {", "\tchosen {"]
    for p in pools:
        refs = " ".join(f"&{{/cpus/cpu@{c}}}" for c in p.cpus)
        lines += [f"\t\t{p.name} {{", '\t\t\tcompatible = "xen,cpupool";',
                  f"\t\t\tcpupool-cpus = <{refs}>;"]
        if p.sched:
            lines.append(f'\t\t\tcpupool-sched = "{p.sched}";')
        lines.append("\t\t};")
    for i, name in sorted(domain_pool.items()):
        lines += [f"\t\tdomU{i + 1} {{", f"\t\t\tdomain-cpupool = <&{{/chosen/{name}}}>;",
                  "\t\t};"]
    lines += ["\t};", "};", ""]
    overlay = "\n".join(lines)
    return lambda dts: dts + "\n" + overlay


# ---- one latency measurement ----

LATENCY_DONE = r"TEST latency (PASS|FAIL)[^\n]*\n"


def measure_latency(domains: list, hv: str, machine: qemu.Machine, cpus: CpuChoice,
                    timeout: float = 300, bootargs: Optional[str] = None,
                    dts_edit: Optional[Callable[[str], str]] = None,
                    ready: Optional[str] = None):
    """Boot, wait for the latency guest's verdict, judge it. `ready`: a regex the
    console must show before the latency guest's window counts (e.g. the
    neighbour spinning). Returns (result, Figures or None when it did not pass)."""
    with qemu.Console(domains, hv, machine, bootargs=bootargs, dts_edit=dts_edit,
                      extra_args=QEMU_ARGS) as con:
        with Sampler(con.proc.pid, con.start, machine.smp) as sampler:
            con.expect(LATENCY_DONE, timeout=timeout, since=0)
            sampler.wait_past(time.monotonic() - con.start)
    res = con.res
    final = [v for v in res.final() if v.case == "latency"]
    if not final or final[0].status != "PASS":
        return res, None
    v = final[0]
    if ready and not re.search(ready, res.output):
        raise AssertionError(f"{ready!r} never shown\n" + res.describe())
    kv = v.kv
    fig = judge(sampler, clock_offset(res), int(kv["end_us"]), int(kv["window_us"]),
                int(kv.get("lost_us", 0)), cpus,
                {k: kv[k] for k in ("worst_gap_us", "p99_ms_worst_us", "worst_late_us",
                                    "p99_late_us", "misses") if k in kv})
    return res, fig

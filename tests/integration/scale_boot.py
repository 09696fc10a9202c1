"""Boot thousands of small dom0less domains and follow them on the console.

Shared by tests/integration/test_scale.py and bench/scale.py. Every domain
runs the same guest image, loaded once (Domain.share_modules), with the
smallest RAM the hypervisor accepts. The console is read incrementally: with
thousands of domains, re-parsing the whole output after each chunk (what
qemu.Console.drive's conditions do) would cost more than the run.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import qemu

MIN_KIB = 2 * 1024   # the ticker and tput images (625 KiB at +512 KiB) need 2 MiB

# Cloison: "d12 (domU12): 2 MiB RAM, 1 vCPU, ..." when a boot domain starts.
CREATED_RE = re.compile(r"\(cloison\) d(\d+) \(domU\d+\): \d+ MiB RAM")
# Xen 4.17: one "*** LOADING DOMU" per dom0less domain it builds.
XEN_CREATED_RE = re.compile(r"\*\*\* LOADING DOMU")
VERDICT_RE = re.compile(r"(?:\(d(\d+)\)|DOM(\d+):) TEST (\S+) (RUN|PASS|FAIL) ?(.*)$")
DESTROYED_RE = re.compile(r"\bd(\d+): destroyed, (\d+) KiB free, heap (\d+) B in (\d+) pages")
BASELINE_RE = re.compile(r"boot domains: (\d+) KiB free, heap (\d+) B in (\d+) pages")
REFUSED_RE = re.compile(r"domU\d+: (?:cannot|no |out of|memory)|domain not created")
PANIC_RE = re.compile(r"panic|Panic|PANIC|Assertion|BUG")
ROLLOVERS_RE = re.compile(r"powering off \((\d+) VMID rollovers\)")


def domains(n: int, case: str = "ticker", mem_kib: int = MIN_KIB,
            bootargs: str = "") -> list[qemu.Domain]:
    return [qemu.Domain(case, mem_kib=mem_kib, share_modules=True, bootargs=bootargs)
            for _ in range(n)]


def machine(n: int, cpu: str = "cortex-a57", smp: int = 4, mem_kib: int = MIN_KIB,
            icount_shift: Optional[int] = None, hv_kib: int = 256) -> qemu.Machine:
    """Enough RAM for n domains of mem_kib plus the hypervisor's share of each,
    hv_kib (Cloison's is well under 256 KiB; Xen 4.17's over 2 MiB), and 512 MiB
    for the hypervisor, the modules and the DTB."""
    mib = 512 + (n * (mem_kib + hv_kib) + 1023) // 1024
    return qemu.Machine(gic=3, cpu=cpu, smp=smp, mem_mib=max(mib, 1024),
                        icount_shift=icount_shift)


@dataclass
class Watch:
    """What the console said so far, per domain."""
    hv: str
    created: list = field(default_factory=list)          # times of creation lines
    up: dict = field(default_factory=dict)               # domid -> time of its first RUN
    last_run: dict = field(default_factory=dict)         # domid -> (time, rest) of last RUN
    ticks: dict = field(default_factory=dict)            # domid -> highest ticks=N seen
    final: dict = field(default_factory=dict)            # domid -> (status, rest)
    destroyed: list = field(default_factory=list)        # (t, domid, free KiB, heap B, pages)
    baseline: Optional[tuple] = None                      # (free KiB, heap B, heap pages)
    refused: list = field(default_factory=list)          # lines refusing a domain
    panics: list = field(default_factory=list)
    rollovers: Optional[int] = None
    seen: int = 0                                         # lines consumed

    def feed(self, lines: list) -> None:
        for t, line in lines[self.seen:]:
            self._line(t, line)
        self.seen = len(lines)

    def _line(self, t: float, line: str) -> None:
        if (CREATED_RE if self.hv == "cloison" else XEN_CREATED_RE).search(line):
            self.created.append(t)
            return
        m = VERDICT_RE.search(line)
        if m:
            dom = int(m.group(1) or m.group(2))
            status, rest = m.group(4), m.group(5)
            if status == "RUN":
                self.up.setdefault(dom, t)
                self.last_run[dom] = (t, rest)
                k = re.search(r"ticks=(\d+)", rest)
                if k:
                    self.ticks[dom] = max(self.ticks.get(dom, 0), int(k.group(1)))
            else:
                self.final[dom] = (status, rest)
            return
        m = DESTROYED_RE.search(line)
        if m:
            self.destroyed.append((t, *map(int, m.groups())))
            return
        m = BASELINE_RE.search(line)
        if m:
            self.baseline = tuple(map(int, m.groups()))
            return
        m = ROLLOVERS_RE.search(line)
        if m:
            self.rollovers = int(m.group(1))
        if REFUSED_RE.search(line):
            self.refused.append(line)
        if PANIC_RE.search(line):
            self.panics.append(line)


class Run:
    """One QEMU run read straight from its stdout: large reads, lines split once,
    each line stamped with its arrival (qemu.Console keeps the whole output as
    one string and re-splits it, which for a few hundred thousand lines costs
    more CPU than the guests and stalls QEMU on a full pipe)."""

    def __init__(self, doms: list, hv: str, mach: qemu.Machine, bootargs: Optional[str] = None):
        self._tmp = tempfile.TemporaryDirectory(prefix="cloison-scale-")
        try:
            cmd = qemu.hv_command(doms, hv, mach, Path(self._tmp.name), bootargs)
        except BaseException:
            self._tmp.cleanup()
            raise
        self.start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.lines: list = []     # (t, line)
        # Seen by the suite's no-panic check (conftest.py), as qemu.Console's runs are.
        self.res = qemu.Result(hv, "", self.lines, None, False, False, False, 0.0, cmd)
        if qemu.RECORD_RESULTS:
            qemu.RESULTS.append(self.res)
        self._partial = b""
        self.eof = False
        self.watch = Watch(hv)

    def pump(self, wait: float) -> None:
        fd = self.proc.stdout.fileno()
        r, _, _ = select.select([fd], [], [], max(0.0, wait))
        if not r:
            if self.proc.poll() is not None:
                self.eof = True
            return
        data = bytearray()
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                self.eof = True
                break
            data += chunk
        t = time.monotonic() - self.start
        self.res.duration = t
        *complete, self._partial = (self._partial + bytes(data)).split(b"\n")
        self.lines += [(t, ln.decode("utf-8", "replace").rstrip("\r")) for ln in complete]
        self.watch.feed(self.lines)

    def write(self, data: bytes) -> None:
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def follow(self, timeout: float, until) -> bool:
        """Until until(watch) holds (True), QEMU exits or timeout passes (False)."""
        deadline = time.monotonic() + timeout
        while not self.eof:
            if until(self.watch):
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.pump(min(0.5, left))
        return until(self.watch)

    def tail(self, n: int = 40) -> str:
        return "\n".join(line for _, line in self.lines[-n:])

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=10)
        self.pump(0)
        rc = self.proc.returncode
        self.res.exited = rc is not None and rc >= 0  # only we kill (SIGKILL)
        self.res.returncode = rc if self.res.exited else None
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self._tmp.cleanup()

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

"""`make run DEMO=speedometer`: the speedometer keeps its deadlines while the
infotainment domain crashes and restarts (issue 12's isolation scenario).

QEMU virt with two pCPUs boots the hypervisor with two dom0less domains:
  - speedometer (tests/guests/cases/speedometer.c): a deadline every 10 ms, in a
    cpupool "rt" of its own (pCPU 1, the null scheduler), Xen 4.17's device-tree
    binding (docs/misc/arm/device-tree/cpupools.txt);
  - infotainment: Debian's Linux with 2 vCPUs in Pool-0 (pCPU 0), which panics a
    few seconds after its userspace is up (cloison.panic_after), resets (panic=1)
    and is restarted by the hypervisor (on_reboot="restart"), in a loop.

The terminal shows one line a second from the speedometer (deadlines met and
missed in that second, the worst lateness, how long it was off its pCPU) with
that time split between the host (which did not run its pCPU's QEMU thread: the
host is shared, tests/integration/schedmeasure.py) and the hypervisor (which gave
the pCPU to someone else), and one line for each event of the infotainment
domain (booting, up, crashing, restarted).
--raw shows the whole console instead. Ctrl-C (or Ctrl-\\) stops QEMU.

  --check S  non-interactive: run until the infotainment domain has crashed and
             come back twice (at most S seconds), then print `DEMO PASS` with the
             speedometer's totals, or `DEMO FAIL: <what>`; exit 0 or 1.
  --no-pools the same domains without the pool nodes (everything shares both pCPUs
             under the default scheduler): the problem pools solve.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402
import schedmeasure as sm  # noqa: E402

PERIOD_MS = 10
MARGIN_US = 2000
PANIC_AFTER_S = 5
POOLS = [sm.Pool("pool0", [0], "credit2"), sm.Pool("rt", [1], "null")]
SPEEDO_RE = re.compile(r"TEST speedometer RUN sec=")
EVENTS = [
    (re.compile(r"Booting Linux on physical CPU"), "infotainment: booting Linux"),
    (re.compile(r"CLOISON-LINUX-UP"), "infotainment: up (userspace running)"),
    (re.compile(r"CLOISON-LINUX-CRASHING"), "infotainment: crashing (sysrq c)"),
    (re.compile(r"Kernel panic - not syncing"), "infotainment: kernel panic"),
    (re.compile(r"(?i)d\d+.*(restart|reboot)"), None),   # the hypervisor's own line
    (re.compile(r"(?i)cpupool"), None),
]


def domains():
    speedo = qemu.Domain("speedometer", bootargs=f"period_ms={PERIOD_MS} margin_us={MARGIN_US}")
    boot = (f"{qemu.LINUX_BOOTARGS} cloison_name=infotainment "
            f"cloison.panic_after={PANIC_AFTER_S} panic=1")
    info = qemu.LinuxDomain(cpus=2, bootargs=boot, on_reboot="restart", on_crash="restart")
    return [speedo, info]


class View:
    """Turns console lines into the demo's lines, as they arrive."""

    def __init__(self, con, sampler, raw: bool, cpu):
        """cpu: the pCPU the speedometer runs on (None: unknown, no host column)."""
        self.con, self.sampler, self.raw, self.cpu = con, sampler, raw, cpu
        self.done = 0            # lines of con.res.lines already shown
        self.missed = self.seconds = self.crashes = self.ups = 0
        self.hv_lost_ms = 0.0

    def say(self, text: str) -> None:
        sys.stdout.write(text + "\r\n")
        sys.stdout.flush()

    def judged(self, t: float) -> bool:
        """The host's samples cover a line read at t, or never will (1 s later)."""
        last = self.sampler.samples[-1][0] if self.sampler.samples else 0.0
        return last > t or time.monotonic() - self.con.start > t + 1.0

    def speedo(self, line: str) -> None:
        v = qemu.parse_verdicts([(0.0, line)])[0]
        kv = v.kv
        self.seconds += 1
        missed = int(kv["missed"])
        self.missed += missed
        host = ""
        if self.cpu is None:
            self.say(self.line(kv, missed, host))
            return
        try:
            off = sm.clock_offset(self.con.res)
            fig = sm.judge(self.sampler, off, int(kv["end_us"]), 1_000_000,
                           int(kv["lost_us"]), [self.cpu])
            self.hv_lost_ms += max(0.0, fig.hv_lost_us) / 1e3
            host = (f"off its pCPU {fig.lost_us / 1e3:4.0f} ms: host {fig.host_off_us / 1e3:4.0f}"
                    f", hypervisor {max(0.0, fig.hv_lost_us) / 1e3:4.0f}")
        except ValueError:
            pass
        self.say(self.line(kv, missed, host))

    @staticmethod
    def line(kv, missed, host):
        return (f"[speedometer] {int(kv['sec']):4d} s {int(kv['kmh']):3d} km/h  "
                f"deadlines {kv['deadlines']:>3}  missed {missed:3d} "
                f"(total {kv['total_missed']})  worst late {int(kv['worst_late_us']) / 1e3:6.2f} ms"
                f"  {host}")

    def pump(self) -> None:
        lines = self.con.res.lines
        while self.done < len(lines):
            t, line = lines[self.done]
            is_speedo = SPEEDO_RE.search(line) is not None
            if is_speedo and not self.judged(t):
                return      # until the host's samples cover its second
            self.done += 1
            self.crashes += "CLOISON-LINUX-CRASHING" in line
            self.ups += "CLOISON-LINUX-UP" in line
            if self.raw:
                self.say(line)
            if is_speedo:
                self.speedo(line)
            elif not self.raw:
                label = next(((lb,) for rx, lb in EVENTS if rx.search(line)), None)
                if label:
                    self.say(f"  {label[0] or line.strip()}")


def run(hv: str = "cloison", check_s: float = 0, pools: bool = True, raw: bool = False) -> int:
    edit = sm.pools_edit(POOLS, {0: "rt", 1: "pool0"}) if pools else None
    print(f"demo: {hv}, speedometer {'in a null pool on pCPU 1' if pools else 'sharing pCPUs'}"
          f" beside a crash-looping Linux; deadlines every {PERIOD_MS} ms, missed when over "
          f"{MARGIN_US / 1000:g} ms late. Ctrl-C stops.", flush=True)
    if hv == "xen":
        print("demo: Debian's Xen 4.17 has no boot-time cpupools nor the null scheduler: it "
              "ignores the pool nodes, so both domains share its credit2 pCPUs.", flush=True)
    with qemu.Console(domains(), hv, qemu.Machine(gic=3, smp=2), dts_edit=edit,
                      extra_args=sm.QEMU_ARGS) as con:
        with sm.Sampler(con.proc.pid, con.start, 2) as sampler:
            # The host column needs the speedometer's pCPU: pCPU 1 when the pool is
            # honoured; Cloison without pools places it, the first vCPU, on pCPU 0;
            # Xen moves it (no column).
            con.expect(r"TEST speedometer RUN driving", timeout=300, since=0)
            ignored = re.search(r"(?i)domain-cpupool.*(not supported|ignored)", con.res.output)
            cpu = None if hv == "xen" else (0 if ignored or not pools else 1)
            if ignored:
                print("demo: this Cloison ignores the pool nodes (no cpupools yet): the "
                      "speedometer shares pCPU 0 with the infotainment domain.", flush=True)
            view = View(con, sampler, raw, cpu)
            deadline = time.monotonic() + check_s if check_s else None
            try:
                while con.pump(0.2) or not con.eof:
                    view.pump()
                    if con.eof:
                        break
                    if deadline and (view.crashes >= 2 and view.ups >= 3
                                     or time.monotonic() > deadline):
                        break
            except KeyboardInterrupt:
                pass
            view.pump()
            end = time.monotonic() + 1.5
            while view.done < len(con.res.lines) and time.monotonic() < end:
                time.sleep(0.1)
                view.pump()
    summary = (f"speedometer: {view.seconds} s, {view.missed} deadlines missed, "
               f"{view.hv_lost_ms:.0f} ms kept off its pCPU by the hypervisor "
               f"(the host's part taken out); "
               f"infotainment: {view.crashes} crashes, {view.ups} boots")
    if not check_s:
        print(f"\r\ndemo: QEMU stopped; {summary}", flush=True)
        return 0
    if view.seconds < 3 or view.crashes < 2 or view.ups < 3:
        print(f"DEMO FAIL ({hv}): the scenario did not run its course: {summary}", flush=True)
        return 1
    print(f"DEMO PASS ({hv}): {summary}", flush=True)
    return 0

"""Boot Cloison or Xen 4.17 with dom0less test guests in QEMU and collect their verdicts.

Used by the pytest suite (tests/integration), bench/run.py and the `make run` demo.

A scenario is a Machine (QEMU virt board) plus a list of Domain (one test guest each).
host_dtb() builds the device tree both hypervisors boot from: QEMU's own tree for that
board (dumpdtb) with a /chosen block in Xen's dom0less binding added. run() starts QEMU
in its own process group, streams the serial console, stops when the caller's condition
holds, the process exits or the timeout expires, and always kills the group.
"""

from __future__ import annotations

import codecs
import os
import re
import selectors
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("BUILD", REPO / "build"))
if not BUILD.is_absolute():
    BUILD = REPO / BUILD
GUESTS = BUILD / "guests"
XEN_BIN = REPO / ".cache" / "xen" / "xen"
CLOISON_BIN = BUILD / "cloison"
QEMU = "qemu-system-aarch64"

# Where guest images go in host RAM. QEMU puts a -kernel Image at 0x40000000 +
# text_offset (Xen: 0x40200000, ~1 MiB) and the DTB at 128 MiB into RAM
# (0x48000000, checked with `info roms`, about 2 MiB as dumped). Modules start
# at 256 MiB into RAM, one 32 MiB slot each, clear of both.
MODULE_BASE = 0x50000000
MODULE_SLOT = 0x02000000

# Xen 4.17 with no dom0 ("true dom0less"): console on the PL011 named by path
# (QEMU's tree has no serial aliases); all log levels so every guest line is
# printed. No sync_console: it adds a 3 s countdown to every boot, which would
# swamp the boot-time benchmark; output still arrives, we linger before killing.
XEN_BOOTARGS = "console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all"
CLOISON_BOOTARGS = "console=dtuart dtuart=/pl011@9000000 loglvl=all"


@dataclass
class Machine:
    """The QEMU board: -M virt,virtualization=on,gic-version=N -cpu CPU -smp N -m MiB."""
    gic: int = 3
    cpu: str = "cortex-a57"
    smp: int = 4
    mem_mib: int = 2048
    icount_shift: Optional[int] = None  # -icount shift=N: instruction-counted time

    def qemu_args(self) -> list[str]:
        args = ["-M", f"virt,virtualization=on,gic-version={self.gic}",
                "-cpu", self.cpu, "-smp", str(self.smp), "-m", str(self.mem_mib)]
        if self.icount_shift is not None:
            args += ["-icount", f"shift={self.icount_shift}"]
        return args


@dataclass
class Domain:
    """One dom0less domain: a test guest (tests/guests/cases/<case>.c) or any Image."""
    case: str
    mem_kib: int = 64 * 1024
    cpus: int = 1
    vpl011: bool = True   # Xen 4.17 refuses console_io to domUs; the vPL011 carries output
    enhanced: bool = False
    bootargs: str = ""
    image: Optional[Path] = None

    def image_path(self) -> Path:
        return Path(self.image) if self.image else GUESTS / f"{self.case}.img"


def hv_binary(hv: str) -> Path:
    if hv == "cloison":
        return CLOISON_BIN
    if hv == "xen":
        return XEN_BIN
    raise ValueError(f"unknown hypervisor {hv!r} (expected 'cloison' or 'xen')")


def _need(path: Path, hint: str) -> Path:
    # A missing artefact is a failure the caller must see, never a silent skip.
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: {hint}")
    return path


def _dump_board_dtb(machine: Machine, out: Path) -> None:
    # -nodefaults: the default NIC wants efi-virtio.rom, which Debian's qemu lacks.
    cmd = [QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
           "-machine", f"dumpdtb={out}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def _chosen_block(domains: list[Domain], bootargs: str) -> str:
    lines = ["/ {", "\tchosen {", "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;",
             f'\t\txen,xen-bootargs = "{bootargs}";']
    for i, dom in enumerate(domains):
        img = _need(dom.image_path(), "run `make` (guests are built into build/guests)")
        addr = MODULE_BASE + i * MODULE_SLOT
        size = img.stat().st_size
        if size > MODULE_SLOT:
            raise ValueError(f"{img} is larger than a module slot")
        lines += [f"\t\tdomU{i + 1} {{",
                  '\t\t\tcompatible = "xen,domain";',
                  "\t\t\t#address-cells = <2>;", "\t\t\t#size-cells = <2>;",
                  f"\t\t\tmemory = <0x0 {dom.mem_kib:#x}>;",
                  f"\t\t\tcpus = <{dom.cpus}>;"]
        if dom.vpl011:
            lines.append("\t\t\tvpl011;")
        if dom.enhanced:
            lines.append('\t\t\txen,enhanced = "enabled";')
        lines += [f"\t\t\tmodule@{addr:x} {{",
                  '\t\t\t\tcompatible = "multiboot,kernel", "multiboot,module";',
                  f"\t\t\t\treg = <0x0 {addr:#x} 0x0 {size:#x}>;"]
        if dom.bootargs:
            lines.append(f'\t\t\t\tbootargs = "{dom.bootargs}";')
        lines += ["\t\t\t};", "\t\t};"]
    lines += ["\t};", "};", ""]
    return "\n".join(lines)


def module_loaders(domains: list[Domain]) -> list[str]:
    """QEMU arguments that place each domain's image at its module address."""
    args = []
    for i, dom in enumerate(domains):
        addr = MODULE_BASE + i * MODULE_SLOT
        args += ["-device", f"loader,file={dom.image_path()},addr={addr:#x},force-raw=on"]
    return args


def host_dtb(machine: Machine, domains: list[Domain], out: Path,
             bootargs: Optional[str] = None, hv: str = "cloison") -> Path:
    """Write the host DTB for this board with the dom0less domains in /chosen."""
    if bootargs is None:
        bootargs = XEN_BOOTARGS if hv == "xen" else CLOISON_BOOTARGS
    out = Path(out)
    board = out.with_suffix(".board.dtb")
    _dump_board_dtb(machine, board)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(board)],
                         check=True, capture_output=True, text=True).stdout
    # dtc merges a second root node into the first, so /chosen gains our children.
    dts += "\n" + _chosen_block(domains, bootargs)
    src = out.with_suffix(".dts")
    src.write_text(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out), str(src)],
                   check=True, capture_output=True)
    return out


# ---- running ----

# A verdict may follow a hypervisor prefix: "(d1) " for console_io output (Xen,
# and Cloison by convention), "(XEN) DOM1: " for Xen's vPL011 lines.
VERDICT_RE = re.compile(r"TEST (?P<case>\S+) (?P<status>PASS|FAIL|RUN)\b ?(?P<rest>.*)$")
DOMID_RE = re.compile(r"(?:\(d(\d+)\)|DOM(\d+):)")


@dataclass
class Verdict:
    case: str
    status: str
    rest: str
    domid: Optional[int]
    kv: dict = field(default_factory=dict)
    line: str = ""
    t: float = 0.0  # seconds after QEMU started

    def key(self) -> tuple:
        return (self.case, self.status)


def parse_verdicts(lines: Iterable[tuple[float, str]]) -> list[Verdict]:
    out = []
    for t, line in lines:
        m = VERDICT_RE.search(line)
        if not m:
            continue
        rest = m.group("rest").strip()
        kv = dict(tok.split("=", 1) for tok in rest.split() if "=" in tok)
        d = DOMID_RE.search(line[:m.start()])
        dom = int(d.group(1) or d.group(2)) if d else None
        out.append(Verdict(m.group("case"), m.group("status"), rest, dom, kv, line.strip(), t))
    return out


@dataclass
class Result:
    hv: str
    output: str
    lines: list                      # [(t, line)], t = seconds since start
    returncode: Optional[int]        # None when we had to kill QEMU
    exited: bool                     # QEMU ended by itself
    timed_out: bool
    condition_met: bool
    duration: float
    cmd: list

    @property
    def verdicts(self) -> list[Verdict]:
        return parse_verdicts(self.lines)

    def final(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status in ("PASS", "FAIL")]

    def describe(self) -> str:
        tail = "\n".join(line for _, line in self.lines[-60:])
        return (f"hv={self.hv} exited={self.exited} rc={self.returncode} "
                f"timed_out={self.timed_out} condition_met={self.condition_met} "
                f"duration={self.duration:.1f}s\ncmd: {' '.join(self.cmd)}\n"
                f"--- last console lines ---\n{tail}")


def verdicts_for(cases: Iterable[str]) -> Callable[[Result], bool]:
    """Condition: one final verdict (PASS or FAIL) seen for each listed case (with repeats)."""
    want: dict[str, int] = {}
    for c in cases:
        want[c] = want.get(c, 0) + 1

    def cond(res: Result) -> bool:
        seen: dict[str, int] = {}
        for v in res.final():
            seen[v.case] = seen.get(v.case, 0) + 1
        return all(seen.get(c, 0) >= n for c, n in want.items())
    return cond


def run(domains: list[Domain], hv: str = "cloison", machine: Optional[Machine] = None,
        timeout: float = 60.0, until: Optional[Callable[[Result], bool]] = None,
        linger: float = 0.0, send: Iterable[tuple[str, bytes]] = (),
        bootargs: Optional[str] = None, workdir: Optional[Path] = None,
        extra_args: Iterable[str] = ()) -> Result:
    """Boot hv with these dom0less domains; return everything the console printed.

    until(result) is checked after each chunk of output; once true, QEMU is given
    `linger` more seconds (to catch late lines) and then killed. send is a list of
    (regex, bytes): when regex first matches the output, bytes go to the console.
    """
    machine = machine or Machine()
    binary = _need(hv_binary(hv), "run scripts/fetch-xen.sh" if hv == "xen" else "run `make`")
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="cloison-it-")
        workdir = Path(tmp.name)
    try:
        dtb = host_dtb(machine, domains, Path(workdir) / "host.dtb", bootargs, hv)
        cmd = [QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
               "-serial", "stdio", "-monitor", "none",
               "-kernel", str(binary), "-dtb", str(dtb),
               *module_loaders(domains), *extra_args]
        return _run_qemu(cmd, hv, timeout, until, linger, list(send))
    finally:
        if tmp is not None:
            tmp.cleanup()


def _run_qemu(cmd, hv, timeout, until, linger, send) -> Result:
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    res = Result(hv, "", [], None, False, False, False, 0.0, cmd)
    partial = ""
    pending = list(send)
    stop_at = start + timeout
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        while True:
            now = time.monotonic()
            if now >= stop_at:
                res.timed_out = not res.condition_met
                break
            events = sel.select(timeout=min(0.2, stop_at - now))
            if not events:
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            text = decoder.decode(chunk)
            res.output += text
            t = time.monotonic() - start
            partial += text
            *complete, partial = partial.replace("\r", "").split("\n")
            res.lines += [(t, line) for line in complete]
            for item in list(pending):
                if re.search(item[0], res.output):
                    proc.stdin.write(item[1])
                    proc.stdin.flush()
                    pending.remove(item)
            if until and not res.condition_met and until(res):
                res.condition_met = True
                stop_at = min(stop_at, time.monotonic() + linger)
    finally:
        _kill_group(proc)
        res.output += decoder.decode(b"", final=True)
        if partial:
            res.lines.append((time.monotonic() - start, partial))
        res.duration = time.monotonic() - start
        sel.close()
    rc = proc.returncode
    # We only kill with SIGKILL; a negative code means the exit was ours.
    res.exited = rc is not None and rc >= 0
    res.returncode = rc if res.exited else None
    return res


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:
        # QEMU is gone; still sweep any helper left in its group.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    proc.wait(timeout=10)
    for f in (proc.stdin, proc.stdout):
        try:
            f.close()
        except OSError:
            pass


def run_cases(cases: list[str], hv: str = "cloison", machine: Optional[Machine] = None,
              timeout: float = 60.0, **kw) -> Result:
    """Convenience: one single-vCPU domain per case, stop once every case gave a verdict."""
    domains = [Domain(c, cpus=2 if c == "smp" else 1) for c in cases]
    return run(domains, hv, machine, timeout, until=verdicts_for(cases), linger=0.3, **kw)


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="Boot test guests under Cloison or Xen 4.17")
    ap.add_argument("cases", nargs="+")
    ap.add_argument("--hv", default="cloison", choices=["cloison", "xen"])
    ap.add_argument("--gic", type=int, default=3)
    ap.add_argument("--cpu", default="cortex-a57")
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    r = run_cases(a.cases, a.hv, Machine(gic=a.gic, cpu=a.cpu, smp=a.smp), a.timeout)
    print(r.output)
    print("----")
    for v in r.verdicts:
        print(v.domid, v.case, v.status, v.rest)
    print(r.describe().splitlines()[0])
